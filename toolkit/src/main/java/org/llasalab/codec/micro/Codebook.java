package org.llasalab.codec.micro;

import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * K code vectors of dimension D and nearest-code search in squared Euclidean distance:
 * argmin_k |x - c_k|^2 = argmin_k (|c_k|^2 - 2 x . c_k). The centroids are kept transposed ([D][K])
 * so that the dot products with all K codes are accumulated lane-wise (one broadcast FMA per
 * dimension and group of codes).
 */
public final class Codebook {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private final int size;
    private final int dim;
    private final float[][] codes;      // [K][D]
    private final float[] transposed;   // [D][Kpad]
    private final float[] halfNorms;    // |c_k|^2 / 2, +inf for padding
    private final int padded;

    public Codebook(float[][] codes) {
        if (codes.length == 0) throw new IllegalArgumentException("empty codebook");
        this.size = codes.length;
        this.dim = codes[0].length;
        this.codes = new float[size][];
        this.padded = (size + SPECIES.length() - 1) / SPECIES.length() * SPECIES.length();
        this.transposed = new float[dim * padded];
        this.halfNorms = new float[padded];
        java.util.Arrays.fill(halfNorms, Float.POSITIVE_INFINITY);
        for (int k = 0; k < size; k++) {
            if (codes[k].length != dim) throw new IllegalArgumentException("code " + k + " has dimension " + codes[k].length + ", not " + dim);
            this.codes[k] = codes[k].clone();
            double n = 0;
            for (int d = 0; d < dim; d++) {
                transposed[d * padded + k] = codes[k][d];
                n += (double) codes[k][d] * codes[k][d];
            }
            halfNorms[k] = (float) (n / 2);
        }
    }

    public int size() { return size; }

    public int dim() { return dim; }

    /** Code vector k (shared; do not modify). */
    public float[] code(int k) { return codes[k]; }

    /** A copy of all code vectors [K][D]. */
    public float[][] codes() {
        float[][] c = new float[size][];
        for (int k = 0; k < size; k++) c[k] = codes[k].clone();
        return c;
    }

    /** Index of the nearest code; {@code scores} is scratch of length {@link #scratchLength()}. */
    public int nearest(float[] x, float[] scores) {
        int lanes = SPECIES.length();
        // scores[k] = |c_k|^2 / 2 - x . c_k
        for (int k = 0; k < padded; k += lanes) {
            FloatVector.fromArray(SPECIES, halfNorms, k).intoArray(scores, k);
        }
        for (int d = 0; d < dim; d++) {
            FloatVector xd = FloatVector.broadcast(SPECIES, -x[d]);
            int row = d * padded;
            for (int k = 0; k < padded; k += lanes) {
                FloatVector.fromArray(SPECIES, transposed, row + k).fma(xd, FloatVector.fromArray(SPECIES, scores, k))
                        .intoArray(scores, k);
            }
        }
        int best = 0;
        float bestScore = scores[0];
        for (int k = 1; k < size; k++) {
            if (scores[k] < bestScore) {
                bestScore = scores[k];
                best = k;
            }
        }
        return best;
    }

    public int scratchLength() { return padded; }

    public int nearest(float[] x) {
        return nearest(x, new float[padded]);
    }

    /** Nearest code of every vector, in parallel. */
    public int[] nearestAll(float[][] xs) {
        int[] out = new int[xs.length];
        int chunk = 256;
        IntStream.range(0, (xs.length + chunk - 1) / chunk).parallel().forEach(c -> {
            float[] scratch = new float[padded];
            for (int i = c * chunk; i < Math.min(xs.length, (c + 1) * chunk); i++) out[i] = nearest(xs[i], scratch);
        });
        return out;
    }

    /** Squared distance between x and code k. */
    public double distance2(float[] x, int k) {
        double s = 0;
        float[] c = codes[k];
        for (int d = 0; d < dim; d++) {
            double diff = x[d] - c[d];
            s += diff * diff;
        }
        return s;
    }
}
