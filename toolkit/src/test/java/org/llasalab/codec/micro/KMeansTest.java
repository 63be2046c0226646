package org.llasalab.codec.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KMeansTest {
    @Test
    void nearestMatchesBruteForce() {
        Random r = new Random(3);
        float[][] codes = new float[37][21];
        for (float[] c : codes) for (int d = 0; d < c.length; d++) c[d] = (float) r.nextGaussian();
        Codebook book = new Codebook(codes);
        float[][] xs = new float[500][21];
        for (float[] x : xs) for (int d = 0; d < x.length; d++) x[d] = (float) r.nextGaussian();
        int[] got = book.nearestAll(xs);
        for (int i = 0; i < xs.length; i++) {
            int best = 0;
            for (int k = 1; k < codes.length; k++) if (book.distance2(xs[i], k) < book.distance2(xs[i], best)) best = k;
            assertEquals(book.distance2(xs[i], best), book.distance2(xs[i], got[i]), 1e-4, "point " + i);
        }
    }

    @Test
    void recoversWellSeparatedClusters() {
        Random r = new Random(5);
        float[][] centres = {{10, 0, 0}, {0, 10, 0}, {0, 0, 10}, {-10, -10, -10}, {10, 10, 10}};
        float[][] data = new float[5000][3];
        for (int i = 0; i < data.length; i++) {
            float[] c = centres[i % centres.length];
            for (int d = 0; d < 3; d++) data[i][d] = c[d] + (float) r.nextGaussian() * 0.5f;
        }
        KMeans.Result result = KMeans.fit(data, 5, 10, 1, 1000, null);
        for (float[] c : centres) {
            int k = result.codebook().nearest(c);
            assertTrue(result.codebook().distance2(c, k) < 0.05, "centre recovered within 0.22");
        }
        double[] mse = result.mse();
        assertEquals(0.25, mse[mse.length - 1], 0.02, "final mse per dim is the noise variance");
        for (int i = 1; i < mse.length; i++) assertTrue(mse[i] <= mse[i - 1] + 1e-9, "mse never increases");
    }

    @Test
    void sameSeedSameCodebook() {
        Random r = new Random(9);
        float[][] data = new float[2000][8];
        for (float[] x : data) for (int d = 0; d < 8; d++) x[d] = (float) r.nextGaussian();
        float[][] a = KMeans.fit(data, 16, 5, 42, 500, null).codebook().codes();
        float[][] b = KMeans.fit(data, 16, 5, 42, 500, null).codebook().codes();
        for (int k = 0; k < 16; k++) org.junit.jupiter.api.Assertions.assertArrayEquals(a[k], b[k]);
    }
}
