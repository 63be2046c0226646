package org.llasalab.eval.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * An upper-bound cost estimate for a dry run: every candidate is assumed to run to
 * {@code sampling.max_tokens} speech tokens, each search candidate is scored once by each guiding
 * verifier and each chosen result once by each evaluation verifier. FLOPs are 2 x parameters per
 * generated token when the model folder's {@code config.json} gives the Llama sizes.
 */
public record CostEstimate(long utterances, long candidates, long lmTokens, long verifierCalls, double flops) {

    public static CostEstimate of(Cell cell, int pendingUtterances) {
        long candidates = (long) cell.budget() * pendingUtterances;
        long tokens = candidates * cell.sampling().maxTokens();
        long calls = candidates * cell.guides().size() + (long) pendingUtterances * cell.evaluators().size();
        long params = llamaParameters(cell.model().dir());
        return new CostEstimate(pendingUtterances, candidates, tokens, calls, params > 0 ? 2.0 * params * tokens : Double.NaN);
    }

    public CostEstimate plus(CostEstimate o) {
        double f = Double.isNaN(flops) ? o.flops : Double.isNaN(o.flops) ? flops : flops + o.flops;
        return new CostEstimate(utterances + o.utterances, candidates + o.candidates, lmTokens + o.lmTokens,
                verifierCalls + o.verifierCalls, f);
    }

    public static final CostEstimate ZERO = new CostEstimate(0, 0, 0, 0, Double.NaN);

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d utterances, %d candidates, <= %d LM tokens, %d verifier calls%s",
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
