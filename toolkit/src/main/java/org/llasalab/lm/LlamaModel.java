package org.llasalab.lm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.llasalab.io.DType;
import org.llasalab.io.LlamaConfig;
import org.llasalab.io.SafetensorsException;
import org.llasalab.io.TensorInfo;
import org.llasalab.io.TensorStore;
import org.llasalab.tensor.BF16Tensor;
import org.llasalab.tensor.F32Tensor;
import org.llasalab.tensor.PackedBF16Tensor;
import org.llasalab.tensor.PackedF32Tensor;
import org.llasalab.tensor.Parallel;
import org.llasalab.tensor.Quantization;
import org.llasalab.tensor.WeightMatrix;

/**
 * A Llama decoder (Hugging Face {@code LlamaForCausalLM} layout) over memory-mapped safetensors (bf16 or
 * f32): the matrices are copied into process memory when they fit ({@link #residentWeights(LlamaConfig)}),
 * read in place from the mapping otherwise, or converted at load ({@link Quantization}). Decoding
 * happens in {@link LlamaBatch}es.
 *
 * <pre>
 * try (LlamaModel m = LlamaModel.load(Path.of("models/llasa-1b"))) {
 *     SequenceBatch batch = m.newBatch(16, 2048);
 *     int seq = batch.prefill(promptIds);
 *     float[] next = batch.logits(seq);
 * }
 * </pre>
 */
public final class LlamaModel implements LanguageModel {
    /** Weights of one transformer block. */
    record Layer(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                 float[] ffnNorm, WeightMatrix wGate, WeightMatrix wUp, WeightMatrix wDown) {}

    final LlamaConfig config;
    final WeightMatrix embed;
    final Layer[] layers;
    final float[] finalNorm;
    final WeightMatrix head;
    final Rope rope;
    final Parallel pool;
    private final TensorStore store;
    private final boolean ownsPool;
    private final DType storedDType;
    private final Quantization quantization;
    /** Holds the converted matrices of a quantized model, or the resident copies of the stored ones. */
    private final java.lang.foreign.Arena converted = java.lang.foreign.Arena.ofShared();
    /** Whether stored-format matrices are copied into process memory ({@link #residentWeights}). */
    private final boolean resident;

    private LlamaModel(LlamaConfig config, TensorStore store, Parallel pool, boolean ownsPool, Quantization quantization)
            throws SafetensorsException {
        this.config = config;
        this.store = store;
        this.pool = pool;
        this.ownsPool = ownsPool;
        this.quantization = quantization;
        this.resident = quantization == Quantization.NONE && residentWeights(config);
        int d = config.hiddenSize();
        this.storedDType = store.info("model.embed_tokens.weight").dtype();
        this.embed = matrix(store, "model.embed_tokens.weight", config.vocabSize(), d);
        this.layers = new Layer[config.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            String p = "model.layers." + l + ".";
            layers[l] = new Layer(
                    vector(store, p + "input_layernorm.weight", d),
                    matrix(store, p + "self_attn.q_proj.weight", config.queryDim(), d),
                    matrix(store, p + "self_attn.k_proj.weight", config.kvDim(), d),
                    matrix(store, p + "self_attn.v_proj.weight", config.kvDim(), d),
                    matrix(store, p + "self_attn.o_proj.weight", d, config.queryDim()),
                    vector(store, p + "post_attention_layernorm.weight", d),
                    matrix(store, p + "mlp.gate_proj.weight", config.intermediateSize(), d),
                    matrix(store, p + "mlp.up_proj.weight", config.intermediateSize(), d),
                    matrix(store, p + "mlp.down_proj.weight", d, config.intermediateSize()));
        }
        this.finalNorm = vector(store, "model.norm.weight", d);
        // a missing lm_head.weight means the head is tied to the embeddings
        this.head = store.contains("lm_head.weight") ? matrix(store, "lm_head.weight", config.vocabSize(), d) : embed;
        this.rope = new Rope(config);
    }

    /** Loads {@code config.json} and the safetensors weights of a model folder, computing on all cores. */
    public static LlamaModel load(Path dir) throws IOException {
        return load(dir, Runtime.getRuntime().availableProcessors());
    }

    /** Loads a model folder computing on {@code threads} threads. */
    public static LlamaModel load(Path dir, int threads) throws IOException {
        return load(dir, threads, Quantization.NONE);
    }

    /** Loads a model folder computing on {@code threads} threads, its matrices converted to {@code quantization}. */
    public static LlamaModel load(Path dir, int threads, Quantization quantization) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + ": model folder not found");
        LlamaConfig config = LlamaConfig.load(dir.resolve("config.json"));
        return load(config, TensorStore.open(dir), threads, quantization);
    }

    /** A model over an already opened store (which the model closes). */
    public static LlamaModel load(LlamaConfig config, TensorStore store, int threads) throws IOException {
        return load(config, store, threads, Quantization.NONE);
    }

    /** A model over an already opened store (which the model closes), its matrices converted to {@code quantization}. */
    public static LlamaModel load(LlamaConfig config, TensorStore store, int threads, Quantization quantization)
            throws IOException {
        Parallel pool = new Parallel(threads);
        try {
            return new LlamaModel(config, store, pool, true, quantization);
        } catch (IOException | RuntimeException e) {
            pool.close();
            store.close();
            throw e;
        }
    }

    private WeightMatrix matrix(TensorStore s, String name, int rows, int cols) throws SafetensorsException {
        return quantization.apply(stored(s, name, rows, cols), converted, pool);
    }

    /**
     * Whether to copy the matrices out of the mapped file into process memory when loading. Measured on an
     * AMD EPYC virtual machine (Zen 5, 2 cores): Llasa-1B bf16 decoded 1.3-1.6x faster from a copy than from
     * the file mapping (batch 1: 18-19 against 10-14 tokens/s; batch 16: 57 against 36-39), the same kernels
     * on the same bytes; the copy costs one pass over the file at load time. So: a copy whenever the
     * matrices take under half of the machine's memory, the mapping otherwise (a model larger than that
     * stays usable, paged by the OS). {@code LLASA_WEIGHTS=mapped} or {@code resident} decides instead.
     */
    static boolean residentWeights(LlamaConfig config) {
        String forced = System.getenv("LLASA_WEIGHTS");
        if (forced != null && !forced.isBlank()) {
            return switch (forced.trim()) {
                case "resident" -> true;
                case "mapped" -> false;
                default -> throw new IllegalArgumentException("LLASA_WEIGHTS=" + forced + ": expected mapped or resident");
            };
        }
        long d = config.hiddenSize();
        long perLayer = d * config.queryDim() * 2 + d * config.kvDim() * 2 + 3 * d * config.intermediateSize();
        long bytes = 4 * (perLayer * config.numLayers() + 2L * config.vocabSize() * d); // f32 at worst, untied head
        long memory = ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        return bytes < memory / 2;
    }

    /** Whether the stored-format matrices were copied into process memory ({@link #residentWeights}). */
    public boolean residentWeights() {
        return resident;
    }

    private WeightMatrix stored(TensorStore s, String name, int rows, int cols) throws SafetensorsException {
        TensorInfo t = s.info(name);
        long[] shape = t.shape();
        if (shape.length != 2 || shape[0] != rows || shape[1] != cols) {
            throw new SafetensorsException(s.file(name) + ": tensor '" + name + "' has shape "
                    + java.util.Arrays.toString(shape) + ", expected [" + rows + ", " + cols + "] from config.json");
        }
        java.lang.foreign.MemorySegment data = s.segment(name);
        if (resident && t.dtype() == DType.BF16) return PackedBF16Tensor.pack(data, rows, cols, converted, pool);
        if (resident && t.dtype() == DType.F32) return PackedF32Tensor.pack(new F32Tensor(data, rows, cols), converted, pool);
        if (resident) data = converted.allocate(data.byteSize(), 4096).copyFrom(data);
        return switch (t.dtype()) {
            case F32 -> new F32Tensor(data, rows, cols);
            case BF16 -> new BF16Tensor(data, rows, cols);
            default -> throw new SafetensorsException(s.file(name) + ": tensor '" + name + "' has dtype " + t.dtype()
                    + "; weights must be BF16 or F32");
        };
    }

    private static float[] vector(TensorStore s, String name, int size) throws SafetensorsException {
        long[] shape = s.shape(name);
        if (shape.length != 1 || shape[0] != size) {
            throw new SafetensorsException(s.file(name) + ": tensor '" + name + "' has shape "
                    + java.util.Arrays.toString(shape) + ", expected [" + size + "]");
        }
        return s.toFloatArray(name);
    }

    public LlamaConfig config() {
        return config;
    }

    /** Storage format of the big matrices in the model folder (that of the embedding). */
    public DType weightDType() {
        return storedDType;
    }

    /** How the matrices are held in memory: {@link Quantization#NONE} (as stored) or converted at load. */
    public Quantization quantization() {
        return quantization;
    }

    public int threads() {
        return pool.threads();
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    /** Bytes of the matrices streamed by one decode step with the full head (norms excluded). */
    public long matrixBytesPerStep(int headRows) {
        long b = 0;
        for (Layer l : layers) {
            b += l.wq().byteSize() + l.wk().byteSize() + l.wv().byteSize() + l.wo().byteSize()
                    + l.wGate().byteSize() + l.wUp().byteSize() + l.wDown().byteSize();
        }
        return b + head.byteSize() / head.rows() * headRows;
    }

    /** Weights multiplied per token (all projections and the output head; not the embedding lookup). */
    public long matmulParameters() {
        long d = config.hiddenSize();
        long perLayer = d * config.queryDim() * 2 + d * config.kvDim() * 2 + 3 * d * config.intermediateSize();
        return perLayer * config.numLayers() + (long) config.vocabSize() * d;
    }

    @Override
    public long parameterCount() {
        long d = config.hiddenSize();
        long perLayer = d * config.queryDim() * 2 + d * config.kvDim() * 2 + 3 * d * config.intermediateSize() + 2 * d;
        long embedding = (long) config.vocabSize() * d;
        return perLayer * config.numLayers() + embedding + (head == embed ? 0 : embedding) + d;
    }

    /**
     * FLOPs of one token at context length {@code context}:
     * {@code 2 * matmulParameters()} (one multiply-add per weight of every projection and of the head)
     * {@code + 4 * layers * context * heads * headDim} (QK^T scores and the attention-weighted sum of V,
     * one multiply-add each per cached position). Norms, RoPE and softmax are left out.
     */
    @Override
    public double flopsPerToken(int context) {
        return 2.0 * matmulParameters() + 4.0 * config.numLayers() * context * config.numHeads() * config.headDim();
    }

    /** As {@link #flopsPerToken} with an output head restricted to {@code headRows} rows (a logit window). */
    public double flopsPerTokenWithHead(int context, int headRows) {
        return flopsPerToken(context) - 2.0 * (config.vocabSize() - (long) headRows) * config.hiddenSize();
    }

    @Override
    public LlamaBatch newBatch(int maxSequences, int maxTokens) {
        return new LlamaBatch(this, maxSequences, maxTokens);
    }

    /** Logits at every position of {@code ids} (no cache kept): {@code [ids.length][vocab]}. */
    public float[][] logitsAll(int[] ids) {
        try (LlamaBatch b = newBatch(1, ids.length)) {
            return b.prefillAll(ids);
        }
    }

    @Override
    public void close() {
        if (ownsPool) pool.close();
        store.close();
        converted.close();
    }
}
