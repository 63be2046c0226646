package org.llasalab.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * An 8-bit weight matrix: each row is cut into blocks of {@value #BLOCK} columns, each block stored as
 * int8 values {@code q} and one f32 scale {@code d} (weight = q * d; d = max |w| / 127, q = round(w / d)),
 * as llama.cpp's Q8_0 (which keeps d in f16). 1.125 bytes per weight instead of bf16's 2.
 * <p>
 * Stored in panels of L rows ({@link PanelMatrix}): per block of 32 columns, the 32 columns' L int8 weights
 * (L bytes per column) and then the L rows' scales. A column is loaded as L bytes, sign-extended and
 * converted to f32 in registers (exact).
 * <p>
 * As in llama.cpp, the scale is applied once per block, not once per weight: for each output, the block
 * sum {@code s = fma(q_c, x_c, s)} runs over the block's columns in order from 0, then
 * {@code y = fma(s, d, y)}. That takes a multiply per weight vector out of the inner loop, which is
 * compute-bound on a fast memory bus (on a Zen 5 the batch-1 kernel went from 38 to 50 G weights/s in
 * cache). Every kernel does exactly this sequence for every output, so batched and single results
 * are bit-identical; against the f32 product of the dequantized weights they differ by rounding only.
 */
public final class Q8Tensor extends PanelMatrix {
    /** Columns per scale. */
    public static final int BLOCK = 32;

    /**
     * L int8 weights: one column of a panel (with 128-bit vectors, L = 4, the smallest byte species loads
     * 8 bytes and the conversion takes the first 4; the bytes after a column are always inside its block,
     * whose scales follow the columns).
     */
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64.withShape(VectorShape.forBitSize(Math.max(64, L * 8)));
    /** Bytes of one block of one panel: 32 columns of L bytes, then L f32 scales. */
    private static final long BLOCK_BYTES = (BLOCK + 4L) * L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    private final MemorySegment data;
    private final int blocks;
    private final long panelBytes;

    private Q8Tensor(MemorySegment data, int rows, int cols) {
        super(rows, cols);
        this.data = data;
        this.blocks = (cols + BLOCK - 1) / BLOCK;
        this.panelBytes = blocks * BLOCK_BYTES;
    }

    /**
     * Quantizes {@code src} (any format) into native memory owned by {@code arena}, panels spread over
     * {@code pool}'s threads.
     */
    public static Q8Tensor quantize(WeightMatrix src, Arena arena, Parallel pool) {
        int rows = src.rows(), cols = src.cols();
        int blocks = (cols + BLOCK - 1) / BLOCK;
        long panelBytes = blocks * BLOCK_BYTES;
        MemorySegment dst = HugePages.allocate(arena, storedPanels(rows) * panelBytes);
        pool.forEach((rows + L - 1) / L, (p, worker) -> {
            float[] row = new float[cols];
            MemorySegment panel = dst.asSlice(p * panelBytes, panelBytes);
            for (int i = 0; i < L && p * L + i < rows; i++) {
                src.copyRow(p * L + i, row, 0);
                for (int k = 0; k < blocks; k++) {
                    int c0 = k * BLOCK, end = Math.min(cols, c0 + BLOCK);
                    float amax = 0;
                    for (int c = c0; c < end; c++) amax = Math.max(amax, Math.abs(row[c]));
                    float scale = amax / 127f;
                    float inv = scale == 0 ? 0 : 1f / scale;
                    long block = k * BLOCK_BYTES;
                    for (int c = c0; c < end; c++) {
                        int v = Math.max(-127, Math.min(127, Math.round(row[c] * inv)));
                        panel.set(ValueLayout.JAVA_BYTE, block + (long) (c - c0) * L + i, (byte) v);
                    }
                    panel.set(LE_FLOAT, block + (long) BLOCK * L + 4L * i, scale);
                }
            }
        });
        return new Q8Tensor(dst, rows, cols);
    }

    /** The int8 weight q of (row, col). */
    int quant(int row, int col) {
        return data.get(ValueLayout.JAVA_BYTE, (long) (row / L) * panelBytes + (col / BLOCK) * BLOCK_BYTES + (long) (col % BLOCK) * L + row % L);
    }

    /** The scale d of row {@code row}'s block {@code block}. */
    float scale(int row, int block) {
        return data.get(LE_FLOAT, (long) (row / L) * panelBytes + block * BLOCK_BYTES + (long) BLOCK * L + 4L * (row % L));
    }

    @Override
    public long byteSize() {
        return (long) rows * cols + (long) rows * blocks * 4;
    }

    @Override
    public void copyRow(int row, float[] dst, int offset) {
        for (int c = 0; c < cols; c++) dst[offset + c] = quant(row, c) * scale(row, c / BLOCK);
    }

    /** The L int8 weights at byte {@code off} as f32 (sign-extended, converted; not yet scaled). */
    private static FloatVector widen(MemorySegment seg, long off) {
        return (FloatVector) ByteVector.fromMemorySegment(B, seg, off, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    private static FloatVector scales(MemorySegment seg, long block) {
        return FloatVector.fromMemorySegment(F, seg, block + (long) BLOCK * L, LE);
    }

    @Override
    void fourPanels(int p, float[] x, float[] dst, int d0) {
        MemorySegment seg = data;
        long w0 = p * panelBytes, w1 = w0 + panelBytes, w2 = w1 + panelBytes, w3 = w2 + panelBytes;
        FloatVector zero = FloatVector.zero(F), a0 = zero, a1 = zero, a2 = zero, a3 = zero;
        for (int k = 0; k < blocks; k++) {
            long bo = k * BLOCK_BYTES;
            int c0 = k * BLOCK, n = Math.min(BLOCK, cols - c0);
            FloatVector s0 = zero, s1 = zero, s2 = zero, s3 = zero;
            for (int i = 0; i < n; i++) {
                long o = bo + (long) i * L;
                FloatVector v = FloatVector.broadcast(F, x[c0 + i]);
                s0 = widen(seg, w0 + o).fma(v, s0);
                s1 = widen(seg, w1 + o).fma(v, s1);
                s2 = widen(seg, w2 + o).fma(v, s2);
                s3 = widen(seg, w3 + o).fma(v, s3);
            }
            a0 = s0.fma(scales(seg, w0 + bo), a0);
            a1 = s1.fma(scales(seg, w1 + bo), a1);
            a2 = s2.fma(scales(seg, w2 + bo), a2);
            a3 = s3.fma(scales(seg, w3 + bo), a3);
        }
        a0.intoArray(dst, d0);
        a1.intoArray(dst, d0 + L);
        a2.intoArray(dst, d0 + 2 * L);
        a3.intoArray(dst, d0 + 3 * L);
    }

    /** The 4 x 4 tile's totals live in a private array (its registers hold the 16 block sums), read and written once per block. */
    @Override
    void fourPanelsFourRows(int p, float[] x, int row0, float[] dst, int d0, int stride) {
        MemorySegment seg = data;
        long w0 = p * panelBytes, w1 = w0 + panelBytes, w2 = w1 + panelBytes, w3 = w2 + panelBytes;
        int x0 = row0 * cols, x1 = cols, x2 = 2 * cols, x3 = 3 * cols;
        // the tile's totals: a private array (writing dst once per block would share cache lines with the other thread's tiles)
        float[] t = new float[16 * L];
        int t0 = 0, t1 = 4 * L, t2 = 8 * L, t3 = 12 * L;
        FloatVector zero = FloatVector.zero(F);
        for (int k = 0; k < blocks; k++) {
            long bo = k * BLOCK_BYTES;
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, b0 = zero, b1 = zero, b2 = zero, b3 = zero;
            FloatVector c0 = zero, c1 = zero, c2 = zero, c3 = zero, e0 = zero, e1 = zero, e2 = zero, e3 = zero;
            int cb = k * BLOCK, count = Math.min(BLOCK, cols - cb);
            for (int i = 0; i < count; i++) {
                long o = bo + (long) i * L;
                FloatVector m0 = widen(seg, w0 + o), m1 = widen(seg, w1 + o), m2 = widen(seg, w2 + o), m3 = widen(seg, w3 + o);
                int c = x0 + cb + i;
                FloatVector v = FloatVector.broadcast(F, x[c]);
                a0 = m0.fma(v, a0); b0 = m1.fma(v, b0); c0 = m2.fma(v, c0); e0 = m3.fma(v, e0);
                v = FloatVector.broadcast(F, x[c + x1]);
                a1 = m0.fma(v, a1); b1 = m1.fma(v, b1); c1 = m2.fma(v, c1); e1 = m3.fma(v, e1);
                v = FloatVector.broadcast(F, x[c + x2]);
                a2 = m0.fma(v, a2); b2 = m1.fma(v, b2); c2 = m2.fma(v, c2); e2 = m3.fma(v, e2);
                v = FloatVector.broadcast(F, x[c + x3]);
                a3 = m0.fma(v, a3); b3 = m1.fma(v, b3); c3 = m2.fma(v, c3); e3 = m3.fma(v, e3);
            }
            FloatVector s0 = scales(seg, w0 + bo), s1 = scales(seg, w1 + bo), s2 = scales(seg, w2 + bo), s3 = scales(seg, w3 + bo);
            a0.fma(s0, FloatVector.fromArray(F, t, t0)).intoArray(t, t0);
            b0.fma(s1, FloatVector.fromArray(F, t, t0 + L)).intoArray(t, t0 + L);
            c0.fma(s2, FloatVector.fromArray(F, t, t0 + 2 * L)).intoArray(t, t0 + 2 * L);
            e0.fma(s3, FloatVector.fromArray(F, t, t0 + 3 * L)).intoArray(t, t0 + 3 * L);
            a1.fma(s0, FloatVector.fromArray(F, t, t1)).intoArray(t, t1);
            b1.fma(s1, FloatVector.fromArray(F, t, t1 + L)).intoArray(t, t1 + L);
            c1.fma(s2, FloatVector.fromArray(F, t, t1 + 2 * L)).intoArray(t, t1 + 2 * L);
            e1.fma(s3, FloatVector.fromArray(F, t, t1 + 3 * L)).intoArray(t, t1 + 3 * L);
            a2.fma(s0, FloatVector.fromArray(F, t, t2)).intoArray(t, t2);
            b2.fma(s1, FloatVector.fromArray(F, t, t2 + L)).intoArray(t, t2 + L);
            c2.fma(s2, FloatVector.fromArray(F, t, t2 + 2 * L)).intoArray(t, t2 + 2 * L);
            e2.fma(s3, FloatVector.fromArray(F, t, t2 + 3 * L)).intoArray(t, t2 + 3 * L);
            a3.fma(s0, FloatVector.fromArray(F, t, t3)).intoArray(t, t3);
            b3.fma(s1, FloatVector.fromArray(F, t, t3 + L)).intoArray(t, t3 + L);
            c3.fma(s2, FloatVector.fromArray(F, t, t3 + 2 * L)).intoArray(t, t3 + 2 * L);
            e3.fma(s3, FloatVector.fromArray(F, t, t3 + 3 * L)).intoArray(t, t3 + 3 * L);
        }
        for (int b = 0; b < 4; b++) System.arraycopy(t, b * 4 * L, dst, d0 + b * stride, 4 * L);
    }

    @Override
    void fourPanelsTwoRows(int p, float[] x, int row0, float[] dst, int d0, int stride) {
        MemorySegment seg = data;
        long w0 = p * panelBytes, w1 = w0 + panelBytes, w2 = w1 + panelBytes, w3 = w2 + panelBytes;
        int x0 = row0 * cols, x1 = cols;
        float[] t = new float[8 * L]; // the totals, as in fourPanelsFourRows
        FloatVector zero = FloatVector.zero(F);
        for (int k = 0; k < blocks; k++) {
            long bo = k * BLOCK_BYTES;
            FloatVector a0 = zero, a1 = zero, b0 = zero, b1 = zero, c0 = zero, c1 = zero, e0 = zero, e1 = zero;
            int cb = k * BLOCK, count = Math.min(BLOCK, cols - cb);
            for (int i = 0; i < count; i++) {
                long o = bo + (long) i * L;
                int c = x0 + cb + i;
                FloatVector v = FloatVector.broadcast(F, x[c]), u = FloatVector.broadcast(F, x[c + x1]);
                FloatVector m = widen(seg, w0 + o);
                a0 = m.fma(v, a0); a1 = m.fma(u, a1);
                m = widen(seg, w1 + o);
                b0 = m.fma(v, b0); b1 = m.fma(u, b1);
                m = widen(seg, w2 + o);
                c0 = m.fma(v, c0); c1 = m.fma(u, c1);
                m = widen(seg, w3 + o);
                e0 = m.fma(v, e0); e1 = m.fma(u, e1);
            }
            FloatVector s0 = scales(seg, w0 + bo), s1 = scales(seg, w1 + bo), s2 = scales(seg, w2 + bo), s3 = scales(seg, w3 + bo);
            a0.fma(s0, FloatVector.fromArray(F, t, 0)).intoArray(t, 0);
            b0.fma(s1, FloatVector.fromArray(F, t, L)).intoArray(t, L);
            c0.fma(s2, FloatVector.fromArray(F, t, 2 * L)).intoArray(t, 2 * L);
            e0.fma(s3, FloatVector.fromArray(F, t, 3 * L)).intoArray(t, 3 * L);
            a1.fma(s0, FloatVector.fromArray(F, t, 4 * L)).intoArray(t, 4 * L);
            b1.fma(s1, FloatVector.fromArray(F, t, 5 * L)).intoArray(t, 5 * L);
            c1.fma(s2, FloatVector.fromArray(F, t, 6 * L)).intoArray(t, 6 * L);
            e1.fma(s3, FloatVector.fromArray(F, t, 7 * L)).intoArray(t, 7 * L);
        }
        System.arraycopy(t, 0, dst, d0, 4 * L);
        System.arraycopy(t, 4 * L, dst, d0 + stride, 4 * L);
    }

    @Override
    void twoPanels(int p, float[] x, int b0, int n, float[] dst, int d0, int stride) {
        long w = p * panelBytes;
        int b = 0;
        if (TILE == 8) for (; b + 8 <= n; b += 8) tile2x8(w, x, (b0 + b) * cols, dst, d0 + b * stride, stride);
        for (; b < n; b += 4) tile2x4(w, x, (b0 + b) * cols, dst, d0 + b * stride, stride);
    }

    /** Panels at w, w + 1 against activation rows x0 + k * cols, k < 8: to dst[d0 + k * stride ..], 2L floats each. */
    private void tile2x8(long w, float[] x, int x0, float[] dst, int d0, int stride) {
        MemorySegment seg = data;
        long u = w + panelBytes;
        int c1 = cols, c2 = 2 * cols, c3 = 3 * cols, c4 = 4 * cols, c5 = 5 * cols, c6 = 6 * cols, c7 = 7 * cols;
        float[] t = new float[16 * L]; // the totals, as in fourPanelsFourRows
        FloatVector zero = FloatVector.zero(F);
        for (int k = 0; k < blocks; k++) {
            long bo = k * BLOCK_BYTES;
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
            FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero, b4 = zero, b5 = zero, b6 = zero, b7 = zero;
            int cb = k * BLOCK, count = Math.min(BLOCK, cols - cb);
            for (int i = 0; i < count; i++) {
                long o = bo + (long) i * L;
                FloatVector m = widen(seg, w + o), n = widen(seg, u + o);
                int c = x0 + cb + i;
                FloatVector v = FloatVector.broadcast(F, x[c]); a0 = m.fma(v, a0); b0 = n.fma(v, b0);
                v = FloatVector.broadcast(F, x[c + c1]); a1 = m.fma(v, a1); b1 = n.fma(v, b1);
                v = FloatVector.broadcast(F, x[c + c2]); a2 = m.fma(v, a2); b2 = n.fma(v, b2);
                v = FloatVector.broadcast(F, x[c + c3]); a3 = m.fma(v, a3); b3 = n.fma(v, b3);
                v = FloatVector.broadcast(F, x[c + c4]); a4 = m.fma(v, a4); b4 = n.fma(v, b4);
                v = FloatVector.broadcast(F, x[c + c5]); a5 = m.fma(v, a5); b5 = n.fma(v, b5);
                v = FloatVector.broadcast(F, x[c + c6]); a6 = m.fma(v, a6); b6 = n.fma(v, b6);
                v = FloatVector.broadcast(F, x[c + c7]); a7 = m.fma(v, a7); b7 = n.fma(v, b7);
            }
            FloatVector dw = scales(seg, w + bo), du = scales(seg, u + bo);
            a0.fma(dw, FloatVector.fromArray(F, t, 0)).intoArray(t, 0);
            b0.fma(du, FloatVector.fromArray(F, t, L)).intoArray(t, L);
            a1.fma(dw, FloatVector.fromArray(F, t, 2 * L)).intoArray(t, 2 * L);
            b1.fma(du, FloatVector.fromArray(F, t, 3 * L)).intoArray(t, 3 * L);
            a2.fma(dw, FloatVector.fromArray(F, t, 4 * L)).intoArray(t, 4 * L);
            b2.fma(du, FloatVector.fromArray(F, t, 5 * L)).intoArray(t, 5 * L);
            a3.fma(dw, FloatVector.fromArray(F, t, 6 * L)).intoArray(t, 6 * L);
            b3.fma(du, FloatVector.fromArray(F, t, 7 * L)).intoArray(t, 7 * L);
            a4.fma(dw, FloatVector.fromArray(F, t, 8 * L)).intoArray(t, 8 * L);
            b4.fma(du, FloatVector.fromArray(F, t, 9 * L)).intoArray(t, 9 * L);
            a5.fma(dw, FloatVector.fromArray(F, t, 10 * L)).intoArray(t, 10 * L);
            b5.fma(du, FloatVector.fromArray(F, t, 11 * L)).intoArray(t, 11 * L);
            a6.fma(dw, FloatVector.fromArray(F, t, 12 * L)).intoArray(t, 12 * L);
            b6.fma(du, FloatVector.fromArray(F, t, 13 * L)).intoArray(t, 13 * L);
            a7.fma(dw, FloatVector.fromArray(F, t, 14 * L)).intoArray(t, 14 * L);
            b7.fma(du, FloatVector.fromArray(F, t, 15 * L)).intoArray(t, 15 * L);
        }
        for (int b = 0; b < 8; b++) System.arraycopy(t, b * 2 * L, dst, d0 + b * stride, 2 * L);
    }

    /** As {@link #tile2x8} for 4 activation rows. */
    private void tile2x4(long w, float[] x, int x0, float[] dst, int d0, int stride) {
        MemorySegment seg = data;
        long u = w + panelBytes;
        int c1 = cols, c2 = 2 * cols, c3 = 3 * cols;
        float[] t = new float[8 * L]; // the totals, as in fourPanelsFourRows
        FloatVector zero = FloatVector.zero(F);
        for (int k = 0; k < blocks; k++) {
            long bo = k * BLOCK_BYTES;
            FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero;
            FloatVector b0 = zero, b1 = zero, b2 = zero, b3 = zero;
            int cb = k * BLOCK, count = Math.min(BLOCK, cols - cb);
            for (int i = 0; i < count; i++) {
                long o = bo + (long) i * L;
                FloatVector m = widen(seg, w + o), n = widen(seg, u + o);
                int c = x0 + cb + i;
                FloatVector v = FloatVector.broadcast(F, x[c]); a0 = m.fma(v, a0); b0 = n.fma(v, b0);
                v = FloatVector.broadcast(F, x[c + c1]); a1 = m.fma(v, a1); b1 = n.fma(v, b1);
                v = FloatVector.broadcast(F, x[c + c2]); a2 = m.fma(v, a2); b2 = n.fma(v, b2);
                v = FloatVector.broadcast(F, x[c + c3]); a3 = m.fma(v, a3); b3 = n.fma(v, b3);
            }
            FloatVector dw = scales(seg, w + bo), du = scales(seg, u + bo);
            a0.fma(dw, FloatVector.fromArray(F, t, 0)).intoArray(t, 0);
            b0.fma(du, FloatVector.fromArray(F, t, L)).intoArray(t, L);
            a1.fma(dw, FloatVector.fromArray(F, t, 2 * L)).intoArray(t, 2 * L);
            b1.fma(du, FloatVector.fromArray(F, t, 3 * L)).intoArray(t, 3 * L);
            a2.fma(dw, FloatVector.fromArray(F, t, 4 * L)).intoArray(t, 4 * L);
            b2.fma(du, FloatVector.fromArray(F, t, 5 * L)).intoArray(t, 5 * L);
            a3.fma(dw, FloatVector.fromArray(F, t, 6 * L)).intoArray(t, 6 * L);
            b3.fma(du, FloatVector.fromArray(F, t, 7 * L)).intoArray(t, 7 * L);
        }
        for (int b = 0; b < 4; b++) System.arraycopy(t, b * 2 * L, dst, d0 + b * stride, 2 * L);
    }
}
