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
 * <p>Usage: {@code TrainStepBenchmark BUILD STEPS THREADS}; prints {@code build=... tokens_per_s=...}.
 */
public final class TrainStepBenchmark {
    /** The benchmark model: the shape samediff-notes.md measured (d 256, 4 layers, 4 heads, SwiGLU 704). */
    static final ModelShape SHAPE = new ModelShape(1200, 256, 4, 4, 2, 704, 10000, 1e-5, true, 512);
    static final int BATCH = 8;
    static final int LENGTH = 192;

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
        LlamaTrainingGraph graph = LlamaTrainingGraph.initialise(SHAPE, BATCH, 1, 0.02);
        AdamW adam = new AdamW(0.9, 0.95, 1e-8, 0.1, 1.0);
        TrainingBatch batch = new TrainingBatch(SHAPE, BATCH, sequences);
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        double loss = 0;
        long start = 0;
        for (int s = 0; s < steps + 2; s++) {
            if (s == 2) start = System.nanoTime(); // two warm-up updates build the gradient graph and caches
            OutAndGrad og = graph.sameDiff().calculateGradientsAndOutputs(batch.placeholders(),
                    List.of(LlamaTrainingGraph.LOSS), graph.parameterNames());
            loss = og.getOutputs().get(LlamaTrainingGraph.LOSS).getDouble(0);
            adam.update(graph.weights(), og.getGradients(), 1e-3);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.setOut(out);
        System.out.printf(java.util.Locale.ROOT, "build=%s threads=%d steps=%d tokens=%d seconds=%.3f tokens_per_s=%.1f loss=%.4f%n",
                build, threads, steps, steps * batch.tokens(), seconds, steps * batch.tokens() / seconds, loss);
    }
}
