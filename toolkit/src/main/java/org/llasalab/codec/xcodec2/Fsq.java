package org.llasalab.codec.xcodec2;

/**
 * Finite scalar quantization. Decode side: a code is a mixed-radix number whose digit d (least
 * significant first, basis = running product of the levels before it) is the level index of dimension
 * d; index i of L levels maps to the value {@code (i - L/2) / (L/2)} (integer half width), e.g. 4 levels
 * give -1, -0.5, 0, 0.5. Encode side ({@link #encode}): each dimension is bounded into its levels by
 * {@code tanh(z + shift) * halfRange - offset} (halfRange = (L - 1)(1 + 1e-3) / 2, offset 0.5 for even L, shift =
 * atanh(offset / halfRange)), rounded half to even, and shifted by the integer half width to a level index;
 * X-codec2 applies the bound twice (once in its quantizer, once in the FSQ layer), which {@code bounds} says.
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

    /**
     * Codes of {@code frames} rows of {@code dims()} projected values (row-major), each value bounded
     * {@code bounds} times before rounding.
     */
    int[] encode(float[] z, int frames, int bounds) {
        int n = levels.length;
        int[] codes = new int[frames];
        for (int t = 0; t < frames; t++) {
            long code = 0;
            for (int d = 0; d < n; d++) {
                float v = z[t * n + d];
                for (int b = 0; b < bounds; b++) v = bound(v, levels[d]);
                int index = (int) Math.rint(v) + levels[d] / 2;
                code += index * basis[d];
            }
            codes[t] = (int) code;
        }
        return codes;
    }

    /** Squashes {@code v} into (-L/2 - eps, L/2 - 1 + eps) for even L (symmetric for odd L), in f32 as the reference. */
    static float bound(float v, int level) {
        float halfRange = (level - 1) * (1 + 1e-3f) / 2;
        float offset = level % 2 == 0 ? 0.5f : 0f;
        float shift = (float) atanh(offset / halfRange);
        return (float) Math.tanh(v + shift) * halfRange - offset;
    }

    private static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
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
