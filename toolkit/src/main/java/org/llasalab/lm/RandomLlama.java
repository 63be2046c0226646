package org.llasalab.lm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llasalab.io.DType;
import org.llasalab.io.FloatConversions;
import org.llasalab.io.LlamaConfig;
import org.llasalab.io.SafetensorsWriter;
import org.llasalab.io.TensorData;

/**
 * Writes a Llama checkpoint of a given shape with random weights (for benchmarks of the real mapped
 * path without a download): {@code config.json} plus {@code model.safetensors}, tied head.
 */
public final class RandomLlama {
    private RandomLlama() {}

    /** Llasa-1B: Llama-3.2-1B shape with the 193,800-id Llasa vocabulary, tied embeddings. */
    public static LlamaConfig llasa1b() {
        return shape(2048, 16, 32, 8, 64, 8192, 193_800);
    }

    /** Llasa-3B: Llama-3.2-3B shape with the Llasa vocabulary, tied embeddings. */
    public static LlamaConfig llasa3b() {
        return shape(3072, 28, 24, 8, 128, 8192, 193_800);
    }

    /** A small model for quick runs. */
    public static LlamaConfig tiny() {
        return shape(256, 4, 4, 2, 64, 1024, 4096);
    }

    public static LlamaConfig shape(int hidden, int layers, int heads, int kvHeads, int headDim, int mlp, int vocab) {
        return new LlamaConfig(hidden, layers, heads, kvHeads, headDim, mlp, vocab, 1e-5, 500000.0,
                new LlamaConfig.RopeScaling(32, 1, 4, 8192), true, 128000, new int[] {128001}, 131072);
    }

    /** Writes the checkpoint into {@code dir} (created) with weights ~ U(-a, a), a = sqrt(3)/sqrt(fan_in). */
    public static void write(Path dir, LlamaConfig c, DType dtype, long seed) throws IOException {
        Files.createDirectories(dir);
        Map<String, TensorData> t = new LinkedHashMap<>();
        long s = seed;
        t.put("model.embed_tokens.weight", random(dtype, ++s, 1.0f, c.vocabSize(), c.hiddenSize()));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            t.put(p + "input_layernorm.weight", constant(dtype, 1f, c.hiddenSize()));
            t.put(p + "self_attn.q_proj.weight", random(dtype, ++s, scale(c.hiddenSize()), c.queryDim(), c.hiddenSize()));
            t.put(p + "self_attn.k_proj.weight", random(dtype, ++s, scale(c.hiddenSize()), c.kvDim(), c.hiddenSize()));
            t.put(p + "self_attn.v_proj.weight", random(dtype, ++s, scale(c.hiddenSize()), c.kvDim(), c.hiddenSize()));
            t.put(p + "self_attn.o_proj.weight", random(dtype, ++s, scale(c.queryDim()), c.hiddenSize(), c.queryDim()));
            t.put(p + "post_attention_layernorm.weight", constant(dtype, 1f, c.hiddenSize()));
            t.put(p + "mlp.gate_proj.weight", random(dtype, ++s, scale(c.hiddenSize()), c.intermediateSize(), c.hiddenSize()));
            t.put(p + "mlp.up_proj.weight", random(dtype, ++s, scale(c.hiddenSize()), c.intermediateSize(), c.hiddenSize()));
            t.put(p + "mlp.down_proj.weight", random(dtype, ++s, scale(c.intermediateSize()), c.hiddenSize(), c.intermediateSize()));
        }
        t.put("model.norm.weight", constant(dtype, 1f, c.hiddenSize()));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), t, Map.of("format", "pt", "origin", "llasa-lab random weights"));
        Files.writeString(dir.resolve("config.json"), configJson(c, dtype));
    }

    private static float scale(int fanIn) {
        return (float) (Math.sqrt(3.0) / Math.sqrt(fanIn));
    }

    static String configJson(LlamaConfig c, DType dtype) {
        return """
                {
                  "architectures": ["LlamaForCausalLM"], "model_type": "llama",
                  "hidden_size": %d, "num_hidden_layers": %d, "num_attention_heads": %d, "num_key_value_heads": %d,
                  "head_dim": %d, "intermediate_size": %d, "vocab_size": %d, "rms_norm_eps": %s, "rope_theta": %s,
                  "rope_scaling": {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                   "original_max_position_embeddings": 8192},
                  "tie_word_embeddings": true, "bos_token_id": %d, "eos_token_id": %d, "max_position_embeddings": 131072,
                  "torch_dtype": "%s"
                }
                """.formatted(c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKvHeads(), c.headDim(), c.intermediateSize(),
                c.vocabSize(), c.rmsNormEps(), c.ropeTheta(), c.bosId(), c.eosIds().length > 0 ? c.eosIds()[0] : 2,
                dtype == DType.BF16 ? "bfloat16" : "float32");
    }

    private static TensorData constant(DType dtype, float value, long n) {
        return new Generated(dtype, new long[] {n}, 0, 0f, value);
    }

    private static TensorData random(DType dtype, long seed, float amplitude, long rows, long cols) {
        return new Generated(dtype, new long[] {rows, cols}, seed, amplitude, 0f);
    }

    /** Streams value = offset + amplitude * U(-1, 1) from a xorshift generator, in 1 MiB chunks. */
    private record Generated(DType dtype, long[] shape, long seed, float amplitude, float offset) implements TensorData {
        @Override
        public void writeTo(WritableByteChannel out) throws IOException {
            long n = byteSize() / dtype.bytes();
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            long x = seed * 0x9E3779B97F4A7C15L + 1;
            for (long i = 0; i < n; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                float u = (x >>> 40) * 0x1.0p-23f - 1f;
                float v = offset + amplitude * u;
                if (dtype == DType.BF16) buf.putShort(FloatConversions.floatToBf16(v));
                else buf.putFloat(v);
                if (!buf.hasRemaining()) {
                    buf.flip();
                    while (buf.hasRemaining()) out.write(buf);
                    buf.clear();
                }
            }
            buf.flip();
            while (buf.hasRemaining()) out.write(buf);
        }
    }
}
