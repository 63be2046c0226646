package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.io.DType;
import org.llasalab.lm.LlamaModel;
import org.llasalab.lm.prompt.PromptTemplate;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainer and the inference engine compute the same function: a model trained a few steps in SameDiff,
 * exported as an f32 Hugging Face folder and loaded by {@link LlamaModel}, gives the same logits at every
 * position of a padded batch of sequences of different lengths.
 */
class EngineParityTest {
    @Test
    void engineLogitsEqualSameDiffLogitsGroupedQueryUntied(@TempDir Path tmp) throws Exception {
        check(tmp, false, 4, 2);
    }

    @Test
    void engineLogitsEqualSameDiffLogitsTiedMultiHead(@TempDir Path tmp) throws Exception {
        check(tmp, true, 2, 2);
    }

    private static void check(Path tmp, boolean tied, int heads, int kvHeads) throws Exception {
        TokenizerSpec spec = new TokenizerSpec(PromptTemplate.NO_SYSTEM, ExportAndSequencesTest.SYMBOLS, 12);
        ModelShape shape = new ModelShape(spec.vocabSize(), 32, 2, heads, kvHeads, 40, 500000, 1e-5, tied, 64);
        int batch = 3;
        LlamaTrainingGraph graph = LlamaTrainingGraph.initialise(shape, batch, 17, 0.2);
        AdamW adam = new AdamW(0.9, 0.95, 1e-8, 0.1, 1.0);
        List<TokenSequence> sequences = List.of(sequence(shape, 9, 1), sequence(shape, 20, 2), sequence(shape, 14, 3));
        TrainingBatch tb = new TrainingBatch(shape, batch, sequences);
        for (int step = 0; step < 3; step++) {
            OutAndGrad og = graph.sameDiff().calculateGradientsAndOutputs(tb.placeholders(), List.of(LlamaTrainingGraph.LOSS),
                    graph.parameterNames());
            adam.update(graph.weights(), og.getGradients(), 1e-2);
        }
        INDArray logits = graph.sameDiff().output(tb.placeholders(), LlamaTrainingGraph.LOGITS).get(LlamaTrainingGraph.LOGITS);
        Path dir = ExportAndSequencesTest.exportTiny(tmp.resolve("model"), shape, spec, DType.F32, graph.weights());

        double maxDiff = 0;
        try (LlamaModel engine = LlamaModel.load(dir, 1)) {
            assertEquals(shape.vocabSize(), engine.vocabSize());
            assertEquals(shape.parameterCount(), engine.parameterCount());
            for (int b = 0; b < batch; b++) {
                int[] ids = sequences.get(b).ids();
                int[] inputs = java.util.Arrays.copyOf(ids, ids.length - 1);
                float[][] expected = engine.logitsAll(inputs);
                for (int t = 0; t < inputs.length; t++) {
                    for (int v = 0; v < shape.vocabSize(); v++) {
                        double diff = Math.abs(expected[t][v] - logits.getDouble((long) b * tb.length() + t, v));
                        maxDiff = Math.max(maxDiff, diff);
                    }
                }
            }
        }
        System.out.printf("engine parity (tied=%s, heads=%d/%d): max logit difference %.3e%n", tied, heads, kvHeads, maxDiff);
        assertTrue(maxDiff < 1e-4, "max |engine - SameDiff| logit difference " + maxDiff);
    }

    private static TokenSequence sequence(ModelShape shape, int length, int seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = r.nextInt(shape.vocabSize());
        return new TokenSequence(ids, length / 2);
    }
}
