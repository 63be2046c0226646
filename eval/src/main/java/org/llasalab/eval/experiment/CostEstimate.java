package org.llasalab.eval.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.llasalab.io.LlamaConfig;
import org.llasalab.search.SearchStrategies;
import org.llasalab.search.StrategyConfig;

/**
 * An upper-bound cost estimate for a dry run: the sequences a strategy decodes in parallel (best-of-N:
 * n; beam: beam width x expand; dvts: n; partial PRM + ORM: beam width x max(expand, orm_n)) each run to
 * {@code max_tokens} speech tokens; each is scored by the guiding verifier once per step of step-level
 * search (once in all for best-of-N), and each chosen result once by each evaluation verifier. FLOPs are 2 x parameters per
 * generated token when the model folder's {@code config.json} gives the Llama sizes.
 */
public record CostEstimate(long utterances, long candidates, long lmTokens, long verifierCalls, double flops) {

    public static CostEstimate of(Cell cell, int pendingUtterances) {
        Work w = work(cell);
        long candidates = w.sequences * pendingUtterances;
        long tokens = candidates * w.maxTokens;
        long calls = (cell.guides().isEmpty() ? 0 : candidates * w.scoredSteps)
                + (long) pendingUtterances * cell.evaluators().size();
        long params = llamaParameters(cell.model().dir());
        return new CostEstimate(pendingUtterances, candidates, tokens, calls, params > 0 ? 2.0 * params * tokens : Double.NaN);
    }

    /**
     * One utterance for the cells of a {@link BudgetGroups budget group} that lack it (ascending budgets):
     * one search at the largest of their budgets, each cell's pick scored by the evaluation verifiers.
     */
    public static CostEstimate ofBudgetGroup(List<Cell> lacking) {
        Cell lead = lacking.getLast();
        CostEstimate search = of(lead, 1);
        long moreEvaluations = (long) (lacking.size() - 1) * lead.evaluators().size();
        return new CostEstimate(lacking.size(), search.candidates, search.lmTokens,
                search.verifierCalls + moreEvaluations, search.flops);
    }

    /** Sequences decoded in parallel per utterance, their length bound, and how often each is scored. */
    private record Work(long sequences, long maxTokens, long scoredSteps) {}

    private static Work work(Cell cell) {
        java.util.Map<String, Object> params = cell.strategy().paramsAt(cell.budget());
        params.putIfAbsent("max_tokens", cell.sampling().maxTokens());
        StrategyConfig config;
        try {
            config = SearchStrategies.create(cell.strategy().type(), params).config();
        } catch (IllegalArgumentException e) {
            return new Work(cell.budget(), cell.sampling().maxTokens(), 1);
        }
        return new Work(config.parallelSequences(), config.decoding().maxTokens(), config.guideScorings());
    }

    public CostEstimate plus(CostEstimate o) {
        double f = Double.isNaN(flops) ? o.flops : Double.isNaN(o.flops) ? flops : flops + o.flops;
        return new CostEstimate(utterances + o.utterances, candidates + o.candidates, lmTokens + o.lmTokens,
                verifierCalls + o.verifierCalls, f);
    }

    /**
     * A single number for progress and ETA: decoded tokens plus verifier calls, a call weighted like
     * {@value #TOKENS_PER_VERIFIER_CALL} decoded tokens (a micro verifier scores a second of audio in about
     * the time the micro LM decodes that many tokens for one sequence). Only ratios of it are used.
     */
    public double work() {
        return lmTokens + TOKENS_PER_VERIFIER_CALL * (double) verifierCalls;
    }

    static final int TOKENS_PER_VERIFIER_CALL = 50;

    public static final CostEstimate ZERO = new CostEstimate(0, 0, 0, 0, Double.NaN);

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d utterances, %d sequences, <= %d LM tokens, <= %d verifier calls%s",
                utterances, candidates, lmTokens, verifierCalls,
                Double.isNaN(flops) ? "" : String.format(Locale.ROOT, ", <= %.3g FLOPs", flops));
    }

    /** Parameters of a Llama model from its config.json, or 0 when the folder or sizes are missing or invalid. */
    static long llamaParameters(Path dir) {
        if (dir == null || !Files.isRegularFile(dir.resolve("config.json"))) return 0;
        try {
            return LlamaConfig.load(dir.resolve("config.json")).parameterCount();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static List<String> header() {
        return List.of("cell", "model", "strategy", "budget", "seed", "done", "estimate");
    }
}
