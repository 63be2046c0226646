package org.llasalab.cli.lm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.llasalab.cli.CliCommand;
import org.llasalab.io.DType;
import org.llasalab.io.LlamaConfig;
import org.llasalab.lm.Generator;
import org.llasalab.lm.LlamaBatch;
import org.llasalab.lm.LlamaModel;
import org.llasalab.lm.LogitMask;
import org.llasalab.lm.RandomLlama;
import org.llasalab.lm.Sampler;
import org.llasalab.lm.SamplingParams;
import org.llasalab.lm.SpeechTokens;
import org.llasalab.tensor.CpuInfo;
import org.llasalab.tensor.MatMulPeak;
import org.llasalab.tensor.MemoryBandwidth;
import org.llasalab.tensor.Parallel;
import org.llasalab.tensor.Quantization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llasa bench lm}: decode throughput of the LM engine on random weights of a real shape,
 * written to a temporary safetensors file and memory mapped (the real loading path), against this
 * machine's read bandwidth measured in the same run.
 */
@Command(name = "lm", mixinStandardHelpOptions = true,
        description = {"Decode throughput of the LM engine on random weights of a Llasa shape (no download).",
                "Reports tokens/s (aggregate over the batch), weight bytes streamed per second, that as a",
                "fraction of the read bandwidth measured in the same run, GFLOP/s, and that as a fraction of",
                "the matmul peak: an f32 GEMM of the batch's size on cache-resident weights, same threads,",
                "the share of the step spent sampling the next tokens (65,537 speech ids per sequence), and the",
                "share spent in attention (it grows with --prompt, the context, while the matrices do not), and",
                "the share spent in the weight matrices' products with the rate they stream the weights at",
                "while they run (what the kernels reach inside the model; the rest of the step streams none).",
                "Each figure is the median over --rounds rounds (after warm-up), interleaved with the probes."})
public final class BenchLmCommand implements Callable<Integer>, CliCommand {
    private static final int PROBE_PASSES = 4;

    @Option(names = "--shape", defaultValue = "llasa-1b", description = "llasa-1b, llasa-3b or tiny (default: ${DEFAULT-VALUE}).")
    String shape;

    @Option(names = "--dtype", defaultValue = "bf16", description = "bf16, f32 or q8 weights; q8 is converted from bf16 at load time, as --quantize q8 does (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--batch", split = ",", defaultValue = "1,16", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--tokens", defaultValue = "16", description = "Timed decode steps per batch size and round (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--prompt", defaultValue = "64", description = "Prompt tokens before decoding (default: ${DEFAULT-VALUE}).")
    int prompt;

    @Option(names = "--threads", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--bandwidth-mib", defaultValue = "1024", description = "Buffer for the bandwidth probe in MiB (default: ${DEFAULT-VALUE}).")
    int bandwidthMib;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds over all batch sizes, each after a bandwidth probe and a matmul-peak probe; the median of each figure is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--json", description = "One JSON object per batch size.")
    boolean json;

    @Override
    public String group() {
        return "bench";
    }

    @Override
    public Integer call() throws Exception {
        LlamaConfig config = switch (shape) {
            case "llasa-1b" -> RandomLlama.llasa1b();
            case "llasa-3b" -> RandomLlama.llasa3b();
            case "tiny" -> RandomLlama.tiny();
            default -> throw new IllegalArgumentException("unknown --shape '" + shape + "' (llasa-1b, llasa-3b or tiny)");
        };
        DType type = switch (dtype) {
            case "bf16", "q8" -> DType.BF16;
            case "f32" -> DType.F32;
            default -> throw new IllegalArgumentException("unknown --dtype '" + dtype + "' (bf16, f32 or q8)");
        };
        Quantization quantization = dtype.equals("q8") ? Quantization.Q8 : Quantization.NONE;
        if (tokens < 1 || prompt < 1 || rounds < 1) throw new IllegalArgumentException("--tokens, --prompt and --rounds must be >= 1");
        for (int b : batches) if (b < 1) throw new IllegalArgumentException("batch sizes must be >= 1");
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        CpuInfo cpu = CpuInfo.detect();

        // speech tokens as in Llasa: 65,536 codes at the top of the vocabulary, end marker 3 ids below
        int codes = Math.min(65_536, config.vocabSize() / 2);
        SpeechTokens speech = new SpeechTokens(config.vocabSize() - codes, codes, config.vocabSize() - codes - 3);
        LogitMask mask = LogitMask.speech(speech);

        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "llasa-bench-lm-");
        Thread cleanup = new Thread(() -> {
            try {
                deleteTree(dir);
            } catch (IOException ignored) {
                // best effort on interrupt
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            if (!json) System.err.printf("writing random %s %s weights to %s ...%n", shape, type.name().toLowerCase(java.util.Locale.ROOT), dir);
            RandomLlama.write(dir, config, type, 42);
            try (LlamaModel model = LlamaModel.load(dir, nThreads, quantization);
                 Parallel probePool = new Parallel(nThreads);
                 MemoryBandwidth.Probe probe = new MemoryBandwidth.Probe(probePool, (long) bandwidthMib << 20);
                 MatMulPeak peak = new MatMulPeak(probePool, config.hiddenSize())) {
                long stepBytes = model.matrixBytesPerStep(mask.windowTo() - mask.windowFrom());
                // prefill once per batch size, warm up, then alternate timed rounds of every batch size with
                // bandwidth and matmul-peak probes, so that a noisy machine affects them alike
                List<Decoder> decoders = new java.util.ArrayList<>();
                for (int b : batches) decoders.add(new Decoder(model, b, mask, prompt + 4 + rounds * tokens));
                for (int i = 0; i < decoders.size(); i++) {
                    decoders.get(i).run(3, 1, stepBytes);
                    peak.measure(batches.get(i), 5);
                }
                double[] bandwidths = new double[rounds];
                double[][] tokS = new double[decoders.size()][rounds], bwFrac = new double[decoders.size()][rounds];
                double[][] gflops = new double[decoders.size()][rounds], peaks = new double[decoders.size()][rounds];
                double[][] peakFrac = new double[decoders.size()][rounds], sampling = new double[decoders.size()][rounds];
                double[][] attention = new double[decoders.size()][rounds], matrices = new double[decoders.size()][rounds];
                double[][] matrixRates = new double[decoders.size()][rounds];
                for (int round = 0; round < rounds; round++) {
                    bandwidths[round] = probe.measure(PROBE_PASSES);
                    for (int i = 0; i < decoders.size(); i++) {
                        peaks[i][round] = peak.measure(batches.get(i), 3);
                        Result r = decoders.get(i).run(0, tokens, stepBytes);
                        tokS[i][round] = r.tokensPerS;
                        bwFrac[i][round] = r.weightBytesPerS / bandwidths[round];
                        gflops[i][round] = r.flopsPerS;
                        peakFrac[i][round] = r.flopsPerS / peaks[i][round];
                        sampling[i][round] = r.samplingFraction;
                        attention[i][round] = r.attentionFraction;
                        matrices[i][round] = r.matrixFraction;
                        // the weights' rate while the matrices run: the bytes of the round over the matrices' time in it
                        matrixRates[i][round] = r.weightBytesPerS / r.matrixFraction;
                    }
                }
                decoders.forEach(Decoder::close);
                double bandwidth = median(bandwidths);
                double fmaRate = peak.fmaRate(5);
                double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                int cores = Runtime.getRuntime().availableProcessors();
                if (!json) {
                    System.out.printf("llasa bench lm: shape %s, %s weights%s, %d threads, %.2f GB of matrices per step%n",
                            shape, dtype, quantization == Quantization.Q8 ? " (converted from bf16 at load)"
                                    : model.residentWeights() ? " (copied into memory at load; LLASA_WEIGHTS=mapped: read from the file mapping)"
                                    : " (read from the file mapping)", nThreads, stepBytes / 1e9);
                    System.out.printf("cpu: %s, %s%n", cpu.model(), cpu.vectors());
                    System.out.printf("decode after a %d-token prompt, median of %d rounds of %d steps, speech-token mask active: head rows [%d, %d) = %d of %d%n",
                            prompt, rounds, tokens, mask.windowFrom(), mask.windowTo(), mask.windowTo() - mask.windowFrom(), config.vocabSize());
                    System.out.printf("memory read bandwidth (%d threads, %d MiB buffer, best of %d passes per round, median): %.1f GB/s%n",
                            nThreads, bandwidthMib, PROBE_PASSES, bandwidth / 1e9);
                    System.out.printf("matmul peak: f32 GEMM of [batch x %d] by [%d x %d]^T on cache-resident weights, %d threads%n",
                            config.hiddenSize(), MatMulPeak.ROWS, config.hiddenSize(), nThreads);
                    System.out.printf("FMA rate (independent vector FMAs in registers, no memory, %d threads): %.1f GFLOP/s%n",
                            nThreads, fmaRate / 1e9);
                    if (load > nThreads + 0.5) { // the one-minute load average counts this run's own threads
                        System.out.printf("warning: load average %.1f on %d cores with %d threads of this run: other processes shared the CPUs, so these figures understate the engine%n",
                                load, cores, nThreads);
                    }
                    System.out.printf("%6s %10s %12s %13s %9s %12s %9s %12s %9s %10s %9s %12s%n", "batch", "tok/s", "weight GB/s", "of bandwidth",
                            "GFLOP/s", "peak GFLOP/s", "of peak", "vs batch 1", "sampling", "attention", "matrices", "their GB/s");
                }
                double base = Double.NaN;
                for (int i = 0; i < batches.size(); i++) {
                    int b = batches.get(i);
                    double t = median(tokS[i]);
                    if (Double.isNaN(base) && b == 1) base = t;
                    double weightBytesPerS = t / b * stepBytes;
                    double matrixFraction = median(matrices[i]), matrixBytesPerS = median(matrixRates[i]);
                    if (json) {
                        Map<String, Object> o = new LinkedHashMap<>();
                        o.put("batch", b);
                        o.put("tokens_per_s", t);
                        o.put("weight_gb_per_s", weightBytesPerS / 1e9);
                        o.put("bandwidth_fraction", median(bwFrac[i]));
                        o.put("gflops", median(gflops[i]) / 1e9);
                        o.put("matmul_peak_gflops", median(peaks[i]) / 1e9);
                        o.put("gemm_fraction", median(peakFrac[i]));
                        o.put("fma_rate_gflops", fmaRate / 1e9);
                        o.put("sampling_fraction", median(sampling[i]));
                        o.put("attention_fraction", median(attention[i]));
                        o.put("matrix_fraction", matrixFraction);
                        o.put("matrix_weight_gb_per_s", matrixBytesPerS / 1e9);
                        o.put("speedup_vs_batch1", Double.isNaN(base) ? null : t / base);
                        o.put("bandwidth_gb_per_s", bandwidth / 1e9);
                        o.put("cpu", cpu.model() + ", " + cpu.vectors());
                        o.put("vector_bits", cpu.vectorBits());
                        o.put("shape", shape);
                        o.put("dtype", dtype);
                        o.put("weights", quantization == Quantization.Q8 ? "converted" : model.residentWeights() ? "resident" : "mapped");
                        o.put("threads", nThreads);
                        o.put("context", prompt);
                        o.put("rounds", rounds);
                        o.put("load_average", load);
                        o.put("speech_mask", true);
                        System.out.println(new ObjectMapper().writeValueAsString(o));
                    } else {
                        System.out.printf("%6d %10.2f %12.2f %12.1f%% %9.1f %12.1f %8.1f%% %12s %8.1f%% %9.1f%% %8.1f%% %12.2f%n", b, t, weightBytesPerS / 1e9,
                                100 * median(bwFrac[i]), median(gflops[i]) / 1e9, median(peaks[i]) / 1e9, 100 * median(peakFrac[i]),
                                Double.isNaN(base) ? "-" : String.format("%.2fx", t / base), 100 * median(sampling[i]),
                                100 * median(attention[i]), 100 * matrixFraction, matrixBytesPerS / 1e9);
                    }
                }
            }
        } finally {
            deleteTree(dir);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        return 0;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * Rates over the timed steps; samplingFraction: the share of their time spent choosing the next tokens;
     * attentionFraction: the share spent in attention; matrixFraction: the share spent in the weight matrices.
     */
    private record Result(double tokensPerS, double weightBytesPerS, double flopsPerS, double samplingFraction,
                          double attentionFraction, double matrixFraction) {}

    /** B sequences forked from one prefilled prompt, decoding speech tokens under the mask. */
    private final class Decoder implements AutoCloseable {
        private final LlamaModel model;
        private final LlamaBatch b;
        private final LogitMask mask;
        private final int[] seqs;
        private final int[] next;
        private final Sampler sampler = new Sampler(new SamplingParams(1.0, 0, 1.0, 0, 1.0));
        private final java.util.SplittableRandom[] rng;

        Decoder(LlamaModel model, int batch, LogitMask mask, int maxTokens) {
            this.model = model;
            this.mask = mask;
            this.b = model.newBatch(batch, maxTokens);
            int[] promptIds = new int[prompt];
            for (int i = 0; i < prompt; i++) promptIds[i] = (i * 7919 + 13) % model.vocabSize();
            seqs = new int[batch];
            seqs[0] = b.prefill(promptIds);
            for (int i = 1; i < batch; i++) seqs[i] = b.fork(seqs[0]);
            for (int s : seqs) b.setLogitWindow(s, mask.windowFrom(), mask.windowTo());
            rng = new java.util.SplittableRandom[batch];
            next = new int[batch];
            for (int i = 0; i < batch; i++) {
                rng[i] = Generator.stream(7, i);
                next[i] = speechToken(mask, i);
            }
        }

        /** {@code warmup} untimed steps, then {@code steps} timed ones (sampling included). */
        Result run(int warmup, int steps, long stepBytes) {
            double flops = 0;
            long t0 = 0, samplingNanos = 0, attention0 = 0, matrices0 = 0;
            int batch = seqs.length;
            int headRows = mask.windowTo() - mask.windowFrom();
            for (int step = 0; step < warmup + steps; step++) {
                if (step == warmup) {
                    t0 = System.nanoTime();
                    attention0 = b.attentionNanos();
                    matrices0 = b.matrixNanos();
                }
                if (step >= warmup) flops += batch * model.flopsPerTokenWithHead(b.length(seqs[0]), headRows);
                b.step(seqs, next);
                long s0 = System.nanoTime();
                for (int i = 0; i < batch; i++) next[i] = sampler.sample(b.logits(seqs[i]), mask, null, rng[i]).token();
                if (step >= warmup) samplingNanos += System.nanoTime() - s0;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return new Result(batch * steps / seconds, stepBytes * steps / seconds, flops / seconds, samplingNanos / 1e9 / seconds,
                    (b.attentionNanos() - attention0) / 1e9 / seconds, (b.matrixNanos() - matrices0) / 1e9 / seconds);
        }

        @Override
        public void close() {
            b.close();
        }
    }

    private static int speechToken(LogitMask mask, int i) {
        for (int id = mask.windowTo() - 1 - i; id >= mask.windowFrom(); id--) if (mask.allows(id)) return id;
        return mask.windowFrom();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
