package org.llasalab.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The hyper-parameters of a Llama decoder read from a Hugging Face {@code config.json}.
 *
 * @param ropeScaling llama3 frequency scaling, or null for plain RoPE
 * @param eosIds      one or more end-of-sequence ids (empty when the config names none)
 * @param bosId       -1 when absent
 */
public record LlamaConfig(
        int hiddenSize, int numLayers, int numHeads, int numKvHeads, int headDim, int intermediateSize,
        int vocabSize, double rmsNormEps, double ropeTheta, RopeScaling ropeScaling, boolean tieWordEmbeddings,
        int bosId, int[] eosIds, int maxPositionEmbeddings) {

    /** llama3-type RoPE scaling ({@code rope_scaling.rope_type == "llama3"}). */
    public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings) {}

    public LlamaConfig {
        if (hiddenSize <= 0 || numLayers <= 0 || numHeads <= 0 || numKvHeads <= 0 || headDim <= 0
                || intermediateSize <= 0 || vocabSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numHeads + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (headDim % 2 != 0) throw new IllegalArgumentException("head_dim must be even: " + headDim);
        eosIds = eosIds.clone();
    }

    @Override
    public int[] eosIds() {
        return eosIds.clone();
    }

    public int queryDim() {
        return numHeads * headDim;
    }

    public int kvDim() {
        return numKvHeads * headDim;
    }

    /**
     * All weights: the embedding table (and the output head, unless tied: a tied head is the same table,
     * counted once), per layer the q, k, v, o projections, the three MLP matrices and two norm gains, and
     * the final norm.
     */
    public long parameterCount() {
        long embedding = (long) vocabSize * hiddenSize;
        long attention = 2L * hiddenSize * queryDim() + 2L * hiddenSize * kvDim();
        long layer = attention + 3L * hiddenSize * intermediateSize + 2L * hiddenSize;
        return embedding * (tieWordEmbeddings ? 1 : 2) + numLayers * layer + hiddenSize;
    }

    public boolean isEos(int id) {
        for (int e : eosIds) if (e == id) return true;
        return false;
    }

    /** Reads {@code config.json} (or the one in a model directory). */
    public static LlamaConfig load(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "model config not found");
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text (" + e.getMessage() + ")");
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + Printable.of(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) throw new IOException(file + ": not a JSON object");
        return parse(root, file.toString());
    }

    /** Parses a config object; {@code source} names it in error messages. */
    public static LlamaConfig parse(JsonNode c, String source) throws IOException {
        JsonNode arch = c.get("architectures");
        if (arch != null && arch.isArray()) {
            for (JsonNode a : arch) {
                if (!a.asText().equals("LlamaForCausalLM") && !a.asText().equals("LlamaModel")) {
                    throw new IOException(source + ": architecture '" + Printable.of(a.asText())
                            + "' is not supported (only LlamaForCausalLM)");
                }
            }
        }
        String modelType = c.path("model_type").asText("llama");
        if (!modelType.equals("llama")) {
            throw new IOException(source + ": model_type '" + Printable.of(modelType) + "' is not supported (only llama)");
        }
        int hidden = requireInt(c, "hidden_size", source);
        int heads = requireInt(c, "num_attention_heads", source);
        int kvHeads = c.has("num_key_value_heads") && !c.get("num_key_value_heads").isNull()
                ? requireInt(c, "num_key_value_heads", source) : heads;
        for (String key : List.of("hidden_size", "num_attention_heads", "num_key_value_heads", "head_dim")) {
            if (c.path(key).isIntegralNumber() && c.get(key).asInt() <= 0) {
                throw new IOException(source + ": \"" + key + "\" must be positive, found " + c.get(key).asInt());
            }
        }
        int headDim = c.has("head_dim") && !c.get("head_dim").isNull() ? requireInt(c, "head_dim", source) : hidden / heads;
        if (!c.has("head_dim") && hidden % heads != 0) {
            throw new IOException(source + ": hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        }
        RopeScaling scaling = null;
        JsonNode rs = c.get("rope_scaling");
        if (rs != null && !rs.isNull()) {
            String type = rs.has("rope_type") ? rs.get("rope_type").asText() : rs.path("type").asText("default");
            switch (type) {
                case "default" -> scaling = null;
                case "llama3" -> scaling = new RopeScaling(
                        requireDouble(rs, "factor", source), requireDouble(rs, "low_freq_factor", source),
                        requireDouble(rs, "high_freq_factor", source), requireInt(rs, "original_max_position_embeddings", source));
                default -> throw new IOException(source + ": rope_scaling type '" + type + "' is not supported (llama3 or default)");
            }
        }
        List<Integer> eos = new ArrayList<>();
        JsonNode e = c.get("eos_token_id");
        if (e != null && e.isArray()) e.forEach(x -> eos.add(x.asInt()));
        else if (e != null && e.isIntegralNumber()) eos.add(e.asInt());
        try {
            return new LlamaConfig(hidden, requireInt(c, "num_hidden_layers", source), heads, kvHeads, headDim,
                    requireInt(c, "intermediate_size", source), requireInt(c, "vocab_size", source),
                    c.path("rms_norm_eps").asDouble(1e-6), c.path("rope_theta").asDouble(10000.0), scaling,
                    c.path("tie_word_embeddings").asBoolean(false),
                    c.path("bos_token_id").isIntegralNumber() ? c.get("bos_token_id").asInt() : -1,
                    eos.stream().mapToInt(Integer::intValue).toArray(),
                    c.path("max_position_embeddings").asInt(2048));
        } catch (IllegalArgumentException ex) {
            throw new IOException(source + ": " + ex.getMessage());
        }
    }

    private static int requireInt(JsonNode c, String key, String source) throws IOException {
        JsonNode n = c.get(key);
        if (n == null || !n.isIntegralNumber()) throw new IOException(source + ": missing or non-integer \"" + key + "\"");
        return n.asInt();
    }

    private static double requireDouble(JsonNode c, String key, String source) throws IOException {
        JsonNode n = c.get(key);
        if (n == null || !n.isNumber()) throw new IOException(source + ": missing or non-numeric \"" + key + "\"");
        return n.asDouble();
    }
}
