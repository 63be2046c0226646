package org.llasalab.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StftTest {
    @Test
    void inverseReconstructsTheSignal() {
        Random r = new Random(7);
        for (int[] cfg : new int[][] {{1024, 320}, {400, 160}, {512, 128}, {1024, 256}}) {
            float[] x = new float[12345];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * 0.3f;
            Stft stft = new Stft(cfg[0], cfg[1]);
            float[][] spec = stft.forward(x);
            assertEquals(1 + x.length / cfg[1], spec.length);
            float[] y = stft.inverse(spec, x.length);
            double maxErr = 0;
            for (int i = 0; i < x.length; i++) maxErr = Math.max(maxErr, Math.abs(x[i] - y[i]));
            assertEquals(0, maxErr, 1e-5, "n_fft " + cfg[0] + " hop " + cfg[1]);
        }
    }

    @Test
    void magnitudeOfToneMatchesParseval() {
        int n = 512;
        float[] x = new float[8000];
        int bin = 37;
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.cos(2 * Math.PI * bin * i / n);
        float[][] mag = new Stft(n, 128).magnitude(x);
        float[] mid = mag[mag.length / 2];
        // A unit cosine on a bin centre through a periodic Hann window: |X[bin]| = n / 4.
        assertEquals(n / 4.0, mid[bin], 1e-2);
        assertEquals(0, mid[bin + 5], 1e-2);
    }

    @Test
    void emptyAndTinySignalsGiveSilentOrReflectedFrames() {
        Stft stft = new Stft(400, 160);
        float[][] empty = stft.magnitude(new float[0]);
        assertEquals(1, empty.length);
        for (float v : empty[0]) assertEquals(0f, v, 0f);
        float[][] tiny = stft.magnitude(new float[] {0.5f, -0.25f, 0.125f});
        assertEquals(1, tiny.length);
        assertTrue(tiny[0][0] > 0, "a short signal is reflected, not dropped");
    }
}
