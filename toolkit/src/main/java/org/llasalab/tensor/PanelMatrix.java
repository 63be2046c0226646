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
 *     each loaded (and widened) weight vector feeds {@code TILE} FMAs; 1-3 rows left over run as a tile of
 *     4 (the rows past n computed and dropped), never as latency-bound single rows. Up to
 *     {@link #FOUR_PANELS_UP_TO} rows, groups of 4 panels instead, so that small batches stream 4 panels at
 *     once like batch 1: tiles of 4 panels x 2 rows for 2 rows, 4 panels x 4 rows (16 accumulators: AVX-512's
 *     32 registers) for 3-8.</li>
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

    /** Outputs of a group of panels that reaches past the rows asked for, then one tile of 4 activation rows. */
    @Override
    public final int scratchFloats(int n) {
        return n * 4 * L + 16 * L;
    }

    /**
     * The activations with room for whole tiles of 4 rows: {@code x} itself when it already has the rows
     * (what the rows past n hold only reaches outputs that are thrown away), else a zero-padded copy.
     */
    @Override
    public final float[] arrange(float[] x, int n, float[] buffer) {
        int rounded = (n + 3) / 4 * 4;
        if (n == 1 || x.length >= rounded * cols) return x;
        return java.util.Arrays.copyOf(x, rounded * cols);
    }

    /**
     * Batches up to this size use 4-panel tiles: 8 with 32 vector registers, else 2. Llasa-1B bf16 in
     * {@code bench lm} on a Zen 5 (tokens/s): batch 4 85 against 50-62 with 2-panel tiles, batch 8 105
     * against 87; batch 16 101 against 116 (there 2 panels x 8 rows widen each weight half as often).
     * Batch 2 (4 x 2 tile) 41-43 against 36 with a half-empty 4 x 4 tile. With 256-bit vectors: batch 2
     * 29-31 against 19 with a half-empty 2 x 4 tile, but batch 4 and 8 are faster with 2 x 4 tiles (42
     * and 47 against 33 and 34 with 4 x 2 tiles, which widen each weight vector for 2 rows only).
     */
    static final int FOUR_PANELS_UP_TO = TILE == 8 ? 8 : 2;

    /** {@link #matmul} in groups of 4 panels, tiles of 2 activation rows for 2 rows, else of 4. */
    private void matmulSmallTiles(float[] x, int n, float[] out, int outStride, int rowBase, int from, int to, float[] scratch) {
        int tail = n * 4 * L;
        for (int p = from / L, pEnd = (to + L - 1) / L; p < pEnd; p += 4) {
            int r0 = p * L, r1 = r0 + 4 * L;
            boolean inside = r0 >= from && r1 <= to;
            int tileRows = n <= 2 ? 2 : 4;
            for (int b0 = 0; b0 < n; b0 += tileRows) {
                if (inside && b0 + tileRows <= n) {
                    smallTile(tileRows, p, x, b0, out, b0 * outStride + r0 - rowBase, outStride);
                    continue;
                }
                // rows past n (arrange made room) and rows outside [from, to) go through scratch
                smallTile(tileRows, p, x, b0, scratch, tail, 4 * L);
                for (int b = b0; b < Math.min(n, b0 + tileRows); b++) {
                    for (int r = Math.max(r0, from), end = Math.min(r1, to); r < end; r++) {
                        out[b * outStride + r - rowBase] = scratch[tail + (b - b0) * 4 * L + r - r0];
                    }
                }
            }
        }
    }

    /** Panels p..p+3 against activation row 0: rows p*L.. to {@code dst[d0 .. d0 + 4L)}. */
    abstract void fourPanels(int p, float[] x, float[] dst, int d0);

    /**
     * Panels p, p+1 against activation rows {@code b0 .. b0 + n} ({@code x[b * cols ..]}; n a multiple of 4):
     * row b's 2L outputs to {@code dst[d0 + (b - b0) * stride ..]}.
     */
    abstract void twoPanels(int p, float[] x, int b0, int n, float[] dst, int d0, int stride);

    private void smallTile(int rows, int p, float[] x, int b0, float[] dst, int d0, int stride) {
        if (rows == 4) fourPanelsFourRows(p, x, b0, dst, d0, stride);
        else fourPanelsTwoRows(p, x, b0, dst, d0, stride);
    }

    /**
     * Panels p..p+3 against activation rows b0..b0+3 ({@code x[b * cols ..]}): row b's 4L outputs to
     * {@code dst[d0 + (b - b0) * stride ..]}. For small batches, where 2 panels x 8 rows would leave
     * accumulators idle and 2 panel streams do not fill the memory bus. Needs 32 vector registers.
     */
    abstract void fourPanelsFourRows(int p, float[] x, int b0, float[] dst, int d0, int stride);

    /** As {@link #fourPanelsFourRows} for rows b0, b0+1 (fits 16 vector registers). */
    abstract void fourPanelsTwoRows(int p, float[] x, int b0, float[] dst, int d0, int stride);

    @Override
    public final void matmul(float[] x, int n, float[] out, int outStride, int rowBase, int from, int to, float[] scratch) {
        if (n > 1 && n <= FOUR_PANELS_UP_TO) {
            matmulSmallTiles(x, n, out, outStride, rowBase, from, to, scratch);
            return;
        }
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
                int full = n - n % 4;
                if (full > 0) twoPanels(p, x, 0, full, dst, d0, stride);
                if (full < n) { // the last 1-3 rows as a whole tile of 4 (arrange made room), kept in scratch
                    int tail = n * 4 * L;
                    twoPanels(p, x, full, 4, scratch, tail, 2 * L);
                    for (int b = full; b < n; b++) System.arraycopy(scratch, tail + (b - full) * 2 * L, dst, d0 + b * stride, 2 * L);
                }
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
