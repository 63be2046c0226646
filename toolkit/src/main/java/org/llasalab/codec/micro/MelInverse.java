package org.llasalab.codec.micro;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Moore-Penrose pseudo-inverse of a mel filter bank M [mels][bins] (full row rank):
 * M+ = M^T (M M^T)^-1, used to map mel magnitudes back to linear-frequency magnitudes (negative values
 * clamped to zero).
 */
public final class MelInverse {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private final float[][] pinv;   // [bins][mels]

    public MelInverse(float[][] mel) {
        int m = mel.length;
        int bins = mel[0].length;
        double[][] gram = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < bins; k++) s += (double) mel[i][k] * mel[j][k];
                gram[i][j] = s;
            }
        }
        double[][] inv = invert(gram);
        pinv = new float[bins][m];
        for (int k = 0; k < bins; k++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int i = 0; i < m; i++) s += mel[i][k] * inv[i][j];
                pinv[k][j] = (float) s;
            }
        }
    }

    /** Linear magnitudes [bins] of mel magnitudes [mels], clamped at zero. */
    public float[] apply(float[] melMagnitudes, float[] out) {
        int bound = SPECIES.loopBound(melMagnitudes.length);
        for (int k = 0; k < pinv.length; k++) {
            float[] row = pinv[k];
            FloatVector acc = FloatVector.zero(SPECIES);
            int j = 0;
            for (; j < bound; j += SPECIES.length()) {
                acc = FloatVector.fromArray(SPECIES, row, j).fma(FloatVector.fromArray(SPECIES, melMagnitudes, j), acc);
            }
            float s = org.llasalab.tensor.Kernels.sumLanes(acc); // the same bits before and after JIT compilation
            for (; j < row.length; j++) s += row[j] * melMagnitudes[j];
            out[k] = Math.max(0f, s);
        }
        return out;
    }

    public int bins() { return pinv.length; }

    /** Gauss-Jordan inversion with partial pivoting. */
    static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] w = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, w[i], 0, n);
            w[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(w[r][c]) > Math.abs(w[p][c])) p = r;
            if (Math.abs(w[p][c]) < 1e-300) throw new IllegalArgumentException("mel filter bank is rank deficient");
            double[] t = w[c];
            w[c] = w[p];
            w[p] = t;
            double d = w[c][c];
            for (int j = 0; j < 2 * n; j++) w[c][j] /= d;
            for (int r = 0; r < n; r++) {
                if (r == c || w[r][c] == 0) continue;
                double f = w[r][c];
                for (int j = 0; j < 2 * n; j++) w[r][j] -= f * w[c][j];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(w[i], n, inv[i], 0, n);
        return inv;
    }
}
