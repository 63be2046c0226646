package org.llasalab.codec.xcodec2;

/**
 * Finite scalar quantization, decode side: a code is a mixed-radix number whose digit d (least
 * significant first, basis = running product of the levels before it) is the level index of dimension
 * d; index i of L levels maps to the value {@code (i - L/2) / (L/2)} (integer half width), e.g. 4 levels
 * give -1, -0.5, 0, 0.5.
 */
final class Fsq {
    private final int[] levels;
    private final long[] basis;
    private final int codebookSize;

    Fsq(int[] levels) {
        this.levels = levels.clone();
        this.basis = new long[levels.length];
        long b = 1;
        for (int d = 0; d < levels.length; d++) {
            basis[d] = b;
            b *= levels[d];
        }
        this.codebookSize = Math.toIntExact(b);
    }

    int dims() {
        return levels.length;
    }

    int codebookSize() {
        return codebookSize;
    }

    /** [codes.length, dims] level values. */
    float[] levelValues(int[] codes) {
        int n = levels.length;
        float[] out = new float[codes.length * n];
        for (int t = 0; t < codes.length; t++) {
            int code = codes[t];
            if (code < 0 || code >= codebookSize) {
                throw new IllegalArgumentException("code " + code + " at frame " + t + " is outside 0.." + (codebookSize - 1));
            }
            for (int d = 0; d < n; d++) {
                int index = (int) ((code / basis[d]) % levels[d]);
                int half = levels[d] / 2;
                out[t * n + d] = (float) (index - half) / half;
            }
        }
        return out;
    }
}
