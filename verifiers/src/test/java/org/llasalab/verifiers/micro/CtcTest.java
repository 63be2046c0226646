package org.llasalab.verifiers.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.llasalab.verifiers.micro.train.Ctc;

/** The CTC loss: likelihood by brute force over alignments, gradient by finite differences. */
class CtcTest {
    @Test
    void lossEqualsBruteForceSumOverAlignments() {
        Random r = new Random(1);
        int frames = 5, v = 3;
        int[] labels = {1, 1, 2};
        float[][] z = new float[frames][v];
        for (float[] row : z) for (int k = 0; k < v; k++) row[k] = (float) r.nextGaussian();
        double total = 0;
        int[] path = new int[frames];
        for (int code = 0; code < Math.pow(v, frames); code++) {
            int c = code;
            for (int t = 0; t < frames; t++) { path[t] = c % v; c /= v; }
            if (java.util.Arrays.equals(collapse(path), labels)) {
                double p = 1;
                for (int t = 0; t < frames; t++) p *= softmax(z[t])[path[t]];
                total += p;
            }
        }
        assertEquals(-Math.log(total), Ctc.lossAndGradient(z, frames, labels).loss(), 1e-5);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(2);
        int frames = 7, v = 4;
        int[] labels = {2, 3, 2};
        float[][] z = new float[frames][v];
        for (float[] row : z) for (int k = 0; k < v; k++) row[k] = (float) r.nextGaussian();
        float[][] g = Ctc.lossAndGradient(z, frames, labels).gradient();
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < v; k++) {
                float keep = z[t][k];
                z[t][k] = keep + 1e-2f;
                double up = Ctc.lossAndGradient(z, frames, labels).loss();
                z[t][k] = keep - 1e-2f;
                double down = Ctc.lossAndGradient(z, frames, labels).loss();
                z[t][k] = keep;
                assertEquals((up - down) / 2e-2, g[t][k], 2e-3, "t=" + t + " k=" + k);
            }
        }
    }

    @Test
    void infeasibleWhenTooFewFrames() {
        assertFalse(Ctc.feasible(2, new int[] {1, 1}));
        assertTrue(Ctc.feasible(3, new int[] {1, 1}));
        assertTrue(Double.isInfinite(Ctc.lossAndGradient(new float[2][3], 2, new int[] {1, 1}).loss()));
    }

    private static int[] collapse(int[] path) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        int prev = -1;
        for (int p : path) {
            if (p != prev && p != 0) out.add(p);
            prev = p;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] softmax(float[] z) {
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += (p[i] = Math.exp(z[i]));
        for (int i = 0; i < z.length; i++) p[i] /= sum;
        return p;
    }
}
