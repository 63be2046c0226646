package org.llasalab.tensor;

import jdk.incubator.vector.VectorSpecies;

/**
 * A weight matrix stored in panels of {@link #L} rows (L = f32 lanes of the species in use), each
 * column of a panel one vector, so that {@code W x} is a sum of outer products: a column of L weights
 * times one activation broadcast to all lanes, accumulated lane-wise. No lane reductions; every output
 * {@code (row, b)} is the sequential sum over the columns in order, whatever the kernel, so batched and
 * single results are bit-identical. The formats ({@link PackedF32Tensor}, {@link PackedBF16Tensor},
 * {@link Q8Tensor}) differ only in how a column vector is loaded; this class walks the panels.
 * <ul>
 * <li>One activation row: groups of 4 panels (4 independent FMA chains, 4 sequential streams).</li>
 * <li>Several rows: groups of 2 panels, in register tiles of 2 panels x {@link #TILE} activation rows, so
 *     each loaded (and widened) weight vector feeds {@code TILE} FMAs.</li>
 * </ul>
 * Storage holds 3 zero panels past the last one, so a group may start at any panel.
 */
abstract sealed class PanelMatrix implements WeightMatrix permits PackedF32Tensor, PackedBF16Tensor, Q8Tensor {
    static final VectorSpecies<Float> F = F32Tensor.F;
    static final int L = F.length();
    /** Activation rows per register tile: 8 where there are 32 vector registers (AVX-512: 16 accumulators), else 4. */
    static final int TILE = F.vectorBitSize() >= 512 ? 8 : 4;

    final int rows;
    final int cols;

    PanelMatrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
    }

    /** Panels the storage needs for {@code rows} rows: the panels proper and 3 zero ones. */
    static int storedPanels(int rows) {
        return (rows + L - 1) / L + 3;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    /** A batch-1 group of 4 panels. */
    @Override
    public final int rowBlock() {
        return 4 * L;
    }

    /** Outputs of a group of panels that reaches past the rows asked for. */
    @Override
    public final int scratchFloats(int n) {
        return n * 4 * L;
    }

    /** Panels p..p+3 against activation row 0: rows p*L.. to {@code dst[d0 .. d0 + 4L)}. */
    abstract void fourPanels(int p, float[] x, float[] dst, int d0);

    /**
     * Panels p, p+1 against the n activation rows ({@code x[b * cols ..]}): row b's 2L outputs to
     * {@code dst[d0 + b * stride ..]}.
     */
    abstract void twoPanels(int p, float[] x, int n, float[] dst, int d0, int stride);

    @Override
    public final void matmul(float[] x, int n, float[] out, int outStride, int rowBase, int from, int to, float[] scratch) {
        int group = n == 1 ? 4 : 2;
        for (int p = from / L, pEnd = (to + L - 1) / L; p < pEnd; p += group) {
            int r0 = p * L, r1 = r0 + group * L;
            boolean direct = r0 >= from && r1 <= to;
            float[] dst = direct ? out : scratch;
            int d0 = direct ? r0 - rowBase : 0;
            int stride = direct ? outStride : group * L;
            if (n == 1) {
                fourPanels(p, x, dst, d0);
            } else {
                twoPanels(p, x, n, dst, d0, stride);
            }
            if (!direct) { // the part of the group inside [from, to)
                for (int b = 0; b < n; b++) {
                    for (int r = Math.max(r0, from), end = Math.min(r1, to); r < end; r++) {
                        out[b * outStride + r - rowBase] = scratch[b * stride + r - r0];
                    }
                }
            }
        }
    }
}
