package org.llasalab.verifiers.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.llasalab.verifiers.micro.train.MicroGraphs;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The plain-Java forward passes equal SameDiff's training graphs on tiny random shapes. */
class MicroParityTest {
    private static float[][][] randomBatch(Random r, int batch, int frames) {
        float[][][] x = new float[batch][frames][MicroFrontEnd.MELS];
        for (float[][] u : x) for (float[] f : u) for (int m = 0; m < f.length; m++) f[m] = (float) (r.nextGaussian() * 2 - 5);
        return x;
    }

    /** SameDiff input: (x - mean) / std, [B, T, 80]. */
    private static INDArray normalised(float[][][] x, float[] mean, float[] std) {
        int b = x.length, t = x[0].length;
        float[] flat = new float[b * t * MicroFrontEnd.MELS];
        for (int i = 0; i < b; i++) for (int j = 0; j < t; j++) for (int m = 0; m < MicroFrontEnd.MELS; m++) {
            flat[(i * t + j) * MicroFrontEnd.MELS + m] = (x[i][j][m] - mean[m]) / std[m];
        }
        return Nd4j.create(flat, new long[] {b, t, MicroFrontEnd.MELS}, 'c');
    }

    private static Map<String, float[]> withFrontEnd(Map<String, float[]> w, Random r) {
        float[] mean = w.get("frontend.mean"), std = w.get("frontend.std");
        for (int m = 0; m < MicroFrontEnd.MELS; m++) { mean[m] = (float) (r.nextGaussian() - 5); std[m] = (float) (1.5 + r.nextDouble()); }
        for (var e : w.entrySet()) { // non-zero biases and gains so that every term is exercised
            if (e.getKey().endsWith(".bias") || e.getKey().endsWith("norm.weight")) {
                float[] v = e.getValue();
                for (int i = 0; i < v.length; i++) v[i] += (float) (0.1 * r.nextGaussian());
            }
        }
        return w;
    }

    @Test
    void xvectorJavaForwardMatchesSameDiff() {
        Random r = new Random(3);
        XVectorModel.Config config = new XVectorModel.Config("speaker", 8, 6, 5, List.of("a", "b", "c"));
        Map<String, float[]> w = withFrontEnd(MicroGraphs.initialWeights(XVectorModel.parameterShapes(config), 5, 1.0), r);
        MicroGraphs.Graph g = MicroGraphs.xvector(config, w);
        XVectorModel model = new XVectorModel(config, w);
        for (int frames : new int[] {23, 40}) {
            float[][][] x = randomBatch(r, 2, frames);
            Map<String, INDArray> out = g.sd().output(Map.of(MicroGraphs.X, normalised(x, w.get("frontend.mean"), w.get("frontend.std"))),
                    MicroGraphs.EMBEDDING, MicroGraphs.LOGITS);
            for (int b = 0; b < 2; b++) {
                XVectorModel.Output o = model.forward(x[b]);
                float[] emb = out.get(MicroGraphs.EMBEDDING).getRow(b).dup().data().asFloat();
                float[] logits = out.get(MicroGraphs.LOGITS).getRow(b).dup().data().asFloat();
                assertClose(emb, o.embedding(), 1e-3f);
                assertClose(logits, o.logits(), 1e-3f);
            }
        }
    }

    @Test
    void ctcJavaForwardMatchesSameDiff() {
        Random r = new Random(4);
        CtcAsrModel.Config config = new CtcAsrModel.Config(8, 2, 5, List.of(CtcAsrModel.BLANK, "a", "b", "|", "c"));
        Map<String, float[]> w = withFrontEnd(MicroGraphs.initialWeights(CtcAsrModel.parameterShapes(config), 6, 0.5), r);
        MicroGraphs.Graph g = MicroGraphs.ctc(config, w, 2);
        CtcAsrModel model = new CtcAsrModel(config, w);
        for (int frames : new int[] {17, 30}) {
            float[][][] x = randomBatch(r, 2, frames);
            INDArray logits = g.sd().output(Map.of(MicroGraphs.X, normalised(x, w.get("frontend.mean"), w.get("frontend.std"))),
                    MicroGraphs.LOGITS).get(MicroGraphs.LOGITS);
            assertEquals((frames + 1) / 2, logits.size(1));
            for (int b = 0; b < 2; b++) {
                float[][] java = model.logits(x[b]);
                assertEquals(logits.size(1), java.length);
                for (int t = 0; t < java.length; t++) {
                    float[] sd = logits.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b), org.nd4j.linalg.indexing.NDArrayIndex.point(t),
                            org.nd4j.linalg.indexing.NDArrayIndex.all()).dup().data().asFloat();
                    assertClose(sd, java[t], 1e-3f);
                }
            }
        }
    }

    static void assertClose(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol * (1 + Math.abs(expected[i])),
                    "element " + i + ": expected " + expected[i] + " got " + actual[i]);
        }
    }
}
