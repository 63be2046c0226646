package org.llasalab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.api.OutAndGrad;

/**
 * Times training updates (forward, backward, AdamW) of a fixed model on fixed random sequences in THIS process,
 * with the native build selected by the first argument. Run one process per build (a JVM loads one native
 * library); {@code llasa bench train} does that and compares the builds in one run.
 *
 * <p>Usage: {@code TrainStepBenchmark BUILD STEPS THREADS}; prints {@code build=... tokens_per_s=...
 * tokens_per_cpu_s=...}: wall-clock and process-CPU-time rates (the second is steadier on a shared machine).
 */
public final class TrainStepBenchmark {
    /** The benchmark model: about the shape samediff-notes.md measured (d 256, 4 layers, SwiGLU 704; here 2 KV heads, vocab 1200). */
    public static final ModelShape SHAPE = new ModelShape(1200, 256, 4, 4, 2, 704, 10000, 1e-5, true, 512);
    public static final int BATCH = 8;
    public static final int LENGTH = 192;

    private TrainStepBenchmark() {}

    public static void main(String[] args) {
        String build = args[0];
        int steps = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        NativeBackend.select(build, threads);
        SplittableRandom random = new SplittableRandom(42);
        List<TokenSequence> sequences = new ArrayList<>();
        for (int b = 0; b < BATCH; b++) {
            int[] ids = new int[LENGTH + 1];
            for (int i = 0; i < ids.length; i++) ids[i] = random.nextInt(SHAPE.vocabSize());
            sequences.add(new TokenSequence(ids, 40));
        }
        LlamaTrainingGraph graph = LlamaTrainingGraph.initialise(SHAPE, 1, 0.02);
        AdamW adam = new AdamW(0.9, 0.95, 1e-8, 0.1, 1.0);
        TrainingBatch batch = new TrainingBatch(SHAPE, sequences);
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        double loss = 0;
        long start = 0, cpuStart = 0;
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int s = 0; s < steps + 2; s++) {
            if (s == 2) { // two warm-up updates build the gradient graph and caches
                start = System.nanoTime();
                cpuStart = os.getProcessCpuTime();
            }
            OutAndGrad og = graph.sameDiff().calculateGradientsAndOutputs(batch.placeholders(),
                    List.of(LlamaTrainingGraph.LOSS), graph.parameterNames());
            loss = og.getOutputs().get(LlamaTrainingGraph.LOSS).getDouble(0);
            adam.update(graph.weights(), og.getGradients(), 1e-3);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
        System.setOut(out);
        System.out.printf(java.util.Locale.ROOT, "build=%s threads=%d steps=%d tokens=%d seconds=%.3f tokens_per_s=%.1f"
                        + " cpu_seconds=%.3f tokens_per_cpu_s=%.1f loss=%.4f%n", build, threads, steps, steps * batch.tokens(),
                seconds, steps * batch.tokens() / seconds, cpuSeconds, steps * batch.tokens() / cpuSeconds, loss);
    }
}
