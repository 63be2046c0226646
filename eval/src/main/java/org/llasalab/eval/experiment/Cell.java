package org.llasalab.eval.experiment;

import java.util.List;
import java.util.Map;
import org.llasalab.eval.experiment.Experiment.ModelSpec;
import org.llasalab.eval.experiment.Experiment.Sampling;
import org.llasalab.eval.experiment.Experiment.StrategySpec;
import org.llasalab.eval.experiment.Experiment.VerifierSpec;

/**
 * One point of the sweep: a model, a search strategy at one budget, one seed, the verifiers that
 * guide the search and the ones that evaluate its result. {@code id} is a hash of {@code config},
 * the fully resolved configuration of what is generated (model and codec with their files'
 * fingerprints, dataset, strategy and its parameters at this budget, seed, guiding verifiers,
 * sampling), so that the same cell gets the same id in every run and a changed model gets a new one.
 * The evaluation verifiers are not part of it: adding one to {@code evaluate} keeps the cells and
 * reruns only the utterances that lack its score, or whose score another definition or revision of
 * the verifier gave ({@link SweepExpander#judge}): {@code judges} holds each evaluation verifier's.
 */
public record Cell(
        String id,
        ModelSpec model,
        StrategySpec strategy,
        int budget,
        long seed,
        List<VerifierSpec> guides,
        List<VerifierSpec> evaluators,
        Sampling sampling,
        Map<String, Object> config,
        Map<String, String> judges) {

    /** A one-line description for progress and dry runs. */
    public String label() {
        return model.name() + " / " + strategy.name() + " / budget " + budget + " / seed " + seed;
    }
}
