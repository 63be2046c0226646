package org.llasalab.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.llasalab.io.DType;
import org.llasalab.io.SafetensorsWriter;
import org.llasalab.io.TensorData;
import org.llasalab.lm.prompt.LlasaTokenizer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes a trained model as a Hugging Face {@code LlamaForCausalLM} folder that the inference engine (and
 * transformers) load like a released Llasa checkpoint: {@code config.json}, {@code model.safetensors},
 * {@code tokenizer.json}, {@code tokenizer_config.json}, {@code llasa_frontend.json} (the text front end the
 * model expects), a model card {@code README.md} and {@code summary.json} (the run's facts at these weights, a
 * {@link TrainingSummary}). The folder is written under a temporary name and moved
 * into place, so a reader never sees half an export.
 */
public final class HuggingFaceExport {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The text front end the model was trained with, e.g. {@code {"type": "micro-phonemes", "lexicon": ...}}. */
    public record FrontEnd(String type, String lexicon, String wordBoundary, String codec) {}

    private HuggingFaceExport() {}

    public static void export(Path dir, ModelShape shape, Map<String, INDArray> weights, TokenizerSpec tokenizer,
                              FrontEnd frontEnd, TrainingSummary facts, String command, DType dtype)
            throws IOException {
        if (dtype != DType.BF16 && dtype != DType.F32 && dtype != DType.F16) {
            throw new IllegalArgumentException("export dtype must be BF16, F16 or F32, got " + dtype);
        }
        if (tokenizer.vocabSize() != shape.vocabSize()) {
            throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize() + " tokens but the model "
                    + shape.vocabSize());
        }
        if (facts.parameters() != shape.parameterCount()) {
            throw new IllegalArgumentException("the run's summary counts " + facts.parameters()
                    + " parameters but the model has " + shape.parameterCount());
        }
        Path target = dir.toAbsolutePath();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".export");
        try {
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : LlamaTrainingGraph.parameterShapes(shape).entrySet()) {
                INDArray a = weights.get(e.getKey());
                if (a == null) throw new IllegalArgumentException("missing weight " + e.getKey());
                float[] values = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
                tensors.put(e.getKey(), TensorData.encode(dtype, values, e.getValue()));
            }
            SafetensorsWriter.write(tmp.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
            Files.write(tmp.resolve("config.json"), configJson(shape, tokenizer, dtype));
            Files.write(tmp.resolve("tokenizer.json"), tokenizer.tokenizerJson());
            Files.write(tmp.resolve("tokenizer_config.json"), tokenizer.tokenizerConfigJson());
            ObjectNode fe = JSON.createObjectNode();
            fe.put("type", frontEnd.type());
            if (frontEnd.lexicon() != null) fe.put("lexicon", frontEnd.lexicon());
            if (frontEnd.wordBoundary() != null) fe.put("word_boundary", frontEnd.wordBoundary());
            if (frontEnd.codec() != null) fe.put("codec", frontEnd.codec());
            fe.put("codebook_size", tokenizer.codebookSize());
            fe.put("symbols_joined_by", " ");
            Files.write(tmp.resolve("llasa_frontend.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(fe));
            Files.writeString(tmp.resolve("README.md"), modelCard(shape, facts, command, frontEnd, dtype),
                    StandardCharsets.UTF_8);
            facts.write(tmp);
            if (Files.exists(target)) {
                Path old = Files.createTempDirectory(parent, "." + target.getFileName() + ".old");
                Files.delete(old);
                Files.move(target, old);
                Files.move(tmp, target);
                Checkpoints.deleteTree(old);
            } else {
                Files.move(tmp, target);
            }
        } catch (IOException | RuntimeException e) {
            Checkpoints.deleteTree(tmp);
            throw e;
        }
    }

    /** config.json with the fields transformers writes for LlamaForCausalLM. */
    static byte[] configJson(ModelShape s, TokenizerSpec tokenizer, DType dtype) throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("attention_bias", false);
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", tokenizer.id("<|begin_of_text|>"));
        c.put("eos_token_id", tokenizer.id(LlasaTokenizer.SPEECH_END));
        c.put("head_dim", s.headDim());
        c.put("hidden_act", "silu");
        c.put("hidden_size", s.hidden());
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", s.intermediate());
        c.put("max_position_embeddings", s.maxPositions());
        c.put("mlp_bias", false);
        c.put("model_type", "llama");
        c.put("num_attention_heads", s.heads());
        c.put("num_hidden_layers", s.layers());
        c.put("num_key_value_heads", s.kvHeads());
        c.put("pretraining_tp", 1);
        c.put("rms_norm_eps", s.rmsEps());
        c.putNull("rope_scaling");
        c.put("rope_theta", s.ropeTheta());
        c.put("tie_word_embeddings", s.tiedEmbeddings());
        c.put("torch_dtype", switch (dtype) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            default -> "float32";
        });
        c.put("transformers_version", "4.48.0");
        c.put("use_cache", true);
        c.put("vocab_size", s.vocabSize());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c);
    }

    static String modelCard(ModelShape s, TrainingSummary f, String command, FrontEnd frontEnd, DType dtype) {
        return String.format(Locale.ROOT, """
                # Micro-world Llasa model

                A Llama-architecture text-to-speech LM trained by Llasa Lab (`org.llasalab.train`, SameDiff on CPU) in
                Llasa's format: text span (%s front end) then speech span of the `%s` codec; loss on speech tokens
                and the end marker only.

                | | |
                |---|---|
                | parameters | %,d (non-embedding %,d) |
                | shape | hidden %d, layers %d, heads %d, kv heads %d, MLP %d, vocab %d, tied %s |
                | updates | %,d |
                | tokens seen | %,d (speech targets %,d) |
                | training FLOPs | %.3e |
                | wall time | %s |
                | held-out loss | %s nats per speech token |
                | weights | %s |

                Command:

                ```
                %s
                ```
                """,
                frontEnd.type(), frontEnd.codec(), s.parameterCount(), s.nonEmbeddingParameters(), s.hidden(), s.layers(),
                s.heads(), s.kvHeads(), s.intermediate(), s.vocabSize(), s.tiedEmbeddings(), f.updates(), f.tokens(),
                f.speechTokens(), f.flops(), TrainingLog.duration(f.seconds()),
                Double.isNaN(f.heldoutLoss()) ? "n/a" : String.format(Locale.ROOT, "%.4f", f.heldoutLoss()),
                dtype, command);
    }
}
