package org.llasalab.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The f32 GEMM behind the batched path of the row-major f32 format (weights read in place from a file
 * mapping; resident weights use the panel formats, {@link PanelMatrix}) and of the X-codec2 codec's linear
 * layers: a block of 4 weight rows, in f32, against n activation rows, in register tiles of 4 weight rows x 4
 * activation rows (16 accumulators: each loaded weight vector feeds 4 FMAs, each activation vector 4).
 * <p>
 * Every (row, activation) dot product is summed in one order whatever the tile: vector chunks
 * {@code [0, upper)} into one accumulator, a fixed lane reduction ({@link Kernels#sumLanes}), then the
 * scalar tail {@code [upper, cols)}. The formats' one-row kernels sum in that order too, so a result
 * never depends on the batch it was computed in.
 */
public final class Gemm {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Gemm() {}

    /**
     * {@code out[o + b * outStride + i] = W_i . x_b} for the 4 rows {@code W_i = w[w0 + i * cols ..]}
     * and the activation rows {@code x_b = x[x0 + b * cols ..]}, {@code b < n}; vector chunks up to
     * {@code upper} (a multiple of the vector length, at most {@code cols}), the rest scalar.
     */
    public static void rowBlock(float[] w, int w0, int cols, int upper, float[] x, int x0, int n, float[] out, int outStride,
                                int o) {
        int b = 0;
        for (; b + 4 <= n; b += 4) tile4x4(w, w0, cols, upper, x, x0 + b * cols, out, o + b * outStride, outStride);
        for (; b < n; b++) {
            int ob = o + b * outStride;
            for (int i = 0; i < 4; i++) out[ob + i] = dot(w, w0 + i * cols, x, x0 + b * cols, cols, upper);
        }
    }

    /** The chunked part of a {@code cols}-long dot product: {@code cols} rounded down to whole vectors. */
    public static int upper(int cols) {
        return F.loopBound(cols);
    }

    /** One dot product in the GEMM's order. */
    public static float dot(float[] w, int w0, float[] x, int x0, int cols, int upper) {
        FloatVector a = FloatVector.zero(F);
        for (int c = 0; c < upper; c += F.length()) {
            a = FloatVector.fromArray(F, w, w0 + c).fma(FloatVector.fromArray(F, x, x0 + c), a);
        }
        return finish(a, w, w0, x, x0, upper, cols);
    }

    private static void tile4x4(float[] w, int w0, int cols, int upper, float[] x, int x0, float[] out, int o, int outStride) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
        int x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        for (int c = 0; c < upper; c += F.length()) {
            FloatVector m0 = FloatVector.fromArray(F, w, w0 + c);
            FloatVector m1 = FloatVector.fromArray(F, w, w1 + c);
            FloatVector m2 = FloatVector.fromArray(F, w, w2 + c);
            FloatVector m3 = FloatVector.fromArray(F, w, w3 + c);
            FloatVector v = FloatVector.fromArray(F, x, x0 + c);
            a00 = m0.fma(v, a00); a10 = m1.fma(v, a10); a20 = m2.fma(v, a20); a30 = m3.fma(v, a30);
            v = FloatVector.fromArray(F, x, x1 + c);
            a01 = m0.fma(v, a01); a11 = m1.fma(v, a11); a21 = m2.fma(v, a21); a31 = m3.fma(v, a31);
            v = FloatVector.fromArray(F, x, x2 + c);
            a02 = m0.fma(v, a02); a12 = m1.fma(v, a12); a22 = m2.fma(v, a22); a32 = m3.fma(v, a32);
            v = FloatVector.fromArray(F, x, x3 + c);
            a03 = m0.fma(v, a03); a13 = m1.fma(v, a13); a23 = m2.fma(v, a23); a33 = m3.fma(v, a33);
        }
        out[o] = finish(a00, w, w0, x, x0, upper, cols);
        out[o + 1] = finish(a10, w, w1, x, x0, upper, cols);
        out[o + 2] = finish(a20, w, w2, x, x0, upper, cols);
        out[o + 3] = finish(a30, w, w3, x, x0, upper, cols);
        o += outStride;
        out[o] = finish(a01, w, w0, x, x1, upper, cols);
        out[o + 1] = finish(a11, w, w1, x, x1, upper, cols);
        out[o + 2] = finish(a21, w, w2, x, x1, upper, cols);
        out[o + 3] = finish(a31, w, w3, x, x1, upper, cols);
        o += outStride;
        out[o] = finish(a02, w, w0, x, x2, upper, cols);
        out[o + 1] = finish(a12, w, w1, x, x2, upper, cols);
        out[o + 2] = finish(a22, w, w2, x, x2, upper, cols);
        out[o + 3] = finish(a32, w, w3, x, x2, upper, cols);
        o += outStride;
        out[o] = finish(a03, w, w0, x, x3, upper, cols);
        out[o + 1] = finish(a13, w, w1, x, x3, upper, cols);
        out[o + 2] = finish(a23, w, w2, x, x3, upper, cols);
        out[o + 3] = finish(a33, w, w3, x, x3, upper, cols);
    }

    /** Lane reduction of an accumulator plus the scalar tail {@code [upper, cols)}. */
    static float finish(FloatVector acc, float[] w, int w0, float[] x, int x0, int upper, int cols) {
        float s = Kernels.sumLanes(acc);
        for (int c = upper; c < cols; c++) s += w[w0 + c] * x[x0 + c];
        return s;
    }
}
