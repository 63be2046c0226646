package org.llasalab.search;

import org.llasalab.verify.Verifier;

/**
 * The verifiers that guide a search. {@code step} (the process reward) scores partial audio during
 * step-level search ({@code beam}, {@code dvts}, the PRM part of {@code partial_prm_orm}); {@code pick}
 * (the outcome reward) scores complete candidates and makes every final choice ({@code best_of_n}, the
 * ORM part of {@code partial_prm_orm}, the final pick of {@code beam} and {@code dvts}). {@code pick}
 * defaults to {@code step}. Both may be null for {@code sample} and {@code greedy}, which then leave
 * their candidate unscored.
 */
public record Guides(Verifier step, Verifier pick) {
    public Guides {
        if (pick == null) {
            pick = step;
        }
    }

    public static Guides of(Verifier verifier) {
        return new Guides(verifier, verifier);
    }

    public static Guides of(Verifier step, Verifier pick) {
        return new Guides(step, pick);
    }

    public static Guides none() {
        return new Guides(null, null);
    }

    Verifier requireStep(String strategy) {
        if (step == null) {
            throw new IllegalArgumentException("search strategy '" + strategy + "' needs a step (process) verifier");
        }
        return step;
    }

    Verifier requirePick(String strategy) {
        if (pick == null) {
            throw new IllegalArgumentException("search strategy '" + strategy + "' needs a pick (outcome) verifier");
        }
        return pick;
    }
}
