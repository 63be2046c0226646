package org.llasalab.codec.micro;

import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * k-means clustering: k-means++ seeding (on a sample) then Lloyd iterations (assignment in parallel
 * through {@link Codebook#nearestAll}); an empty cluster is re-seeded with the point currently worst
 * served. Deterministic for the seed.
 */
public final class KMeans {
    /** Result: the codebook and the mean squared error per iteration. */
    public record Result(Codebook codebook, double[] mse) {}

    private KMeans() {}

    public static Result fit(float[][] data, int k, int iterations, long seed, int seedSample, Consumer<String> log) {
        if (data.length < k) throw new IllegalArgumentException("k-means needs at least k = " + k + " points, got " + data.length);
        Random rnd = new Random(seed);
        float[][] centroids = seedPlusPlus(data, k, rnd, seedSample);
        int dim = data[0].length;
        double[] mse = new double[iterations];
        for (int it = 0; it < iterations; it++) {
            Codebook book = new Codebook(centroids);
            int[] assign = book.nearestAll(data);
            double[] dist = new double[data.length];
            IntStream.range(0, data.length).parallel().forEach(i -> dist[i] = book.distance2(data[i], assign[i]));
            double total = 0;
            for (double d : dist) total += d;
            mse[it] = total / data.length / dim;
            double[][] sums = new double[k][dim];
            int[] counts = new int[k];
            for (int i = 0; i < data.length; i++) {
                double[] s = sums[assign[i]];
                float[] x = data[i];
                for (int d = 0; d < dim; d++) s[d] += x[d];
                counts[assign[i]]++;
            }
            int empty = 0;
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    // Re-seed with the worst-served point, and do not pick it twice.
                    int worst = 0;
                    for (int i = 1; i < data.length; i++) if (dist[i] > dist[worst]) worst = i;
                    centroids[c] = data[worst].clone();
                    dist[worst] = -1;
                    empty++;
                } else {
                    for (int d = 0; d < dim; d++) centroids[c][d] = (float) (sums[c][d] / counts[c]);
                }
            }
            if (log != null) {
                log.accept(String.format("k-means iteration %d: mse %.5f per dim, %d empty clusters re-seeded", it + 1, mse[it], empty));
            }
        }
        return new Result(new Codebook(centroids), mse);
    }

    /** k-means++ seeding on at most {@code sample} points drawn at random. */
    static float[][] seedPlusPlus(float[][] data, int k, Random rnd, int sample) {
        int n = Math.min(data.length, Math.max(sample, k));
        float[][] pts = new float[n][];
        int[] perm = IntStream.range(0, data.length).toArray();
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(data.length - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
            pts[i] = data[perm[i]];
        }
        float[][] centroids = new float[k][];
        centroids[0] = pts[rnd.nextInt(n)].clone();
        double[] best = new double[n];
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            float[] last = centroids[c - 1];
            double total = IntStream.range(0, n).parallel().mapToDouble(i -> {
                double s = 0;
                float[] x = pts[i];
                for (int d = 0; d < x.length; d++) {
                    double diff = x[d] - last[d];
                    s += diff * diff;
                }
                if (s < best[i]) best[i] = s;
                return best[i];
            }).sum();
            double r = rnd.nextDouble() * total;
            int pick = n - 1;
            for (int i = 0; i < n; i++) {
                r -= best[i];
                if (r <= 0) {
                    pick = i;
                    break;
                }
            }
            centroids[c] = pts[pick].clone();
        }
        return centroids;
    }
}
