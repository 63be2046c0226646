package org.llasalab.eval.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.llasalab.search.BeamStrategy;
import org.llasalab.search.BestOfNStrategy;
import org.llasalab.search.DvtsStrategy;
import org.llasalab.search.PartialPrmOrmStrategy;
import org.llasalab.search.SampleStrategy;
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
        long max = config.decoding().maxTokens();
        return switch (config) {
            case SampleStrategy.Sample s -> new Work(1, max, 1);
            case SampleStrategy.Greedy g -> new Work(1, max, 1);
            case BestOfNStrategy.BestOfN b -> new Work(b.n(), max, 1);
            case BeamStrategy.Beam b -> new Work((long) b.beamWidth() * b.expand(), max, steps(max, b.chunkTokens()));
            case DvtsStrategy.Dvts d -> new Work(d.n(), max, steps(max, d.chunkTokens()));
            case PartialPrmOrmStrategy.PartialPrmOrm p -> new Work(
                    (long) p.beamWidth() * Math.max(p.expand(), p.ormN()), max, steps(max, p.chunkTokens()) + 1);
            default -> new Work(cell.budget(), max, steps(max, 1));
        };
    }

    private static long steps(long maxTokens, int chunk) {
        return (maxTokens + chunk - 1) / chunk;
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

    /** Parameters of a Llama model from its config.json, or 0 when the folder or sizes are missing. */
    static long llamaParameters(Path dir) {
        if (dir == null) return 0;
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) return 0;
        try {
            JsonNode c = new ObjectMapper().readTree(config.toFile());
            long h = c.path("hidden_size").asLong(0);
            long layers = c.path("num_hidden_layers").asLong(0);
            long inter = c.path("intermediate_size").asLong(0);
            long vocab = c.path("vocab_size").asLong(0);
            long heads = c.path("num_attention_heads").asLong(0);
            long kvHeads = c.path("num_key_value_heads").asLong(heads);
            if (h == 0 || layers == 0 || inter == 0 || vocab == 0 || heads == 0) return 0;
            long kv = h / heads * kvHeads;
            long perLayer = 2 * h * h + 2 * h * kv + 3 * h * inter + 2 * h;
            boolean tied = c.path("tie_word_embeddings").asBoolean(false);
            return vocab * h * (tied ? 1 : 2) + layers * perLayer + h;
        } catch (IOException e) {
            return 0;
        }
    }

    static List<String> header() {
        return List.of("cell", "model", "strategy", "budget", "seed", "done", "estimate");
    }
}
