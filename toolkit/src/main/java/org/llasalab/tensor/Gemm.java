package org.llasalab.tensor;

import java.lang.foreign.MemorySegment;

/**
 * The f32 GEMM behind every weight format's batched path: a block of 4 weight rows, already in f32
 * in a worker's scratch, against n activation rows.
 */
final class Gemm {
    private Gemm() {}

    /**
     * {@code out[o + b * outStride + i] = W_i . x_b} for the 4 f32 rows {@code W_i} at byte
     * {@code 4 * cols * i} of {@code w} and activation rows {@code b < n}; summed as {@link F32Tensor} sums.
     */
    static void rowBlock(MemorySegment w, int cols, float[] x, int n, float[] out, int outStride, int o) {
        long rowBytes = 4L * cols;
        int b = 0;
        for (; b + 4 <= n; b += 4) F32Tensor.block4x4(w, 0, rowBytes, x, b * cols, cols, out, o + b * outStride, outStride);
        for (; b < n; b++) F32Tensor.block4x1(w, 0, rowBytes, x, b * cols, cols, out, o + b * outStride);
    }
}
