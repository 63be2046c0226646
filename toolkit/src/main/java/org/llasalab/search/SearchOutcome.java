package org.llasalab.search;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Collections;

/**
 * The result of searching one request.
 *
 * @param requestId  the request's id
 * @param strategy   the strategy type that produced it
 * @param chosen     the pick: the best finished candidate, or the best unfinished one when none
 *                   finished ({@code chosen.finished() == false} flags that case)
 * @param candidates every scored candidate (the chosen one included)
 * @param ledger     all the compute spent on this request
 * @param budgets    best-of-N only: the outcome each smaller budget k would have had, read off the
 *                   first k candidates, with the ledger of that work alone; empty otherwise
 * @param chunks     when the text was searched in chunks: each chunk's outcome (then {@code chosen}
 *                   holds the concatenated audio); empty otherwise
 */
public record SearchOutcome(String requestId, String strategy, ScoredCandidate chosen,
                            List<ScoredCandidate> candidates, ComputeLedger ledger,
                            SortedMap<Integer, SearchOutcome> budgets, List<SearchOutcome> chunks) {
    public SearchOutcome {
        candidates = List.copyOf(candidates);
        budgets = Collections.unmodifiableSortedMap(new TreeMap<>(budgets == null ? Map.of() : budgets));
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
    }

    public SearchOutcome(String requestId, String strategy, ScoredCandidate chosen,
                         List<ScoredCandidate> candidates, ComputeLedger ledger) {
        this(requestId, strategy, chosen, candidates, ledger, null, null);
    }

    /** False when no candidate finished and the pick is an unfinished one. */
    public boolean finished() {
        return chosen.finished();
    }

    /** The outcome for best-of-N budget {@code k}; this outcome itself when k is its own N. */
    public SearchOutcome budget(int k) {
        SearchOutcome o = budgets.get(k);
        if (o == null) {
            throw new IllegalArgumentException("no outcome for budget " + k + " of request " + requestId
                    + "; budgets: " + budgets.keySet());
        }
        return o;
    }
}
