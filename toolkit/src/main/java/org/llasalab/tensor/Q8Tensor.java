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
 * converted to f32 in registers, and multiplied by its rows' scales: exactly the dequantized weight
 * {@code q * d} rounded to f32, which then meets the broadcast activation in one FMA. So a Q8 matrix
 * computes bit for bit what a {@link PackedF32Tensor} of its dequantized weights computes.
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

    @Override
    public long byteSize() {
        return (long) rows * cols + (long) rows * blocks * 4;
    }

    @Override
    public void copyRow(int row, float[] dst, int offset) {
        long panel = (long) (row / L) * panelBytes;
        int i = row % L;
        for (int c = 0; c < cols; c++) {
            long block = panel + (c / BLOCK) * BLOCK_BYTES;
            float d = data.get(LE_FLOAT, block + (long) BLOCK * L + 4L * i);
            dst[offset + c] = data.get(ValueLayout.JAVA_BYTE, block + (long) (c % BLOCK) * L + i) * d;
        }
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
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int k = 0; k < blocks; k++) {
            long bo = k * BLOCK_BYTES;
            FloatVector d0v = scales(seg, w0 + bo), d1v = scales(seg, w1 + bo), d2v = scales(seg, w2 + bo), d3v = scales(seg, w3 + bo);
            int c0 = k * BLOCK, n = Math.min(BLOCK, cols - c0);
            for (int i = 0; i < n; i++) {
                long o = bo + (long) i * L;
                FloatVector v = FloatVector.broadcast(F, x[c0 + i]);
                a0 = widen(seg, w0 + o).mul(d0v).fma(v, a0);
                a1 = widen(seg, w1 + o).mul(d1v).fma(v, a1);
                a2 = widen(seg, w2 + o).mul(d2v).fma(v, a2);
                a3 = widen(seg, w3 + o).mul(d3v).fma(v, a3);
            }
        }
        a0.intoArray(dst, d0);
        a1.intoArray(dst, d0 + L);
        a2.intoArray(dst, d0 + 2 * L);
        a3.intoArray(dst, d0 + 3 * L);
    }

    /** The 4 x 4 tile needs 16 accumulators, 4 scale and 4 weight vectors: AVX-512's 32 registers, not AVX2's 16. */
    @Override
    boolean hasFourRowTile() {
        return TILE == 8;
    }

    @Override
    void fourPanelsFourRows(int p, float[] x, int row0, float[] dst, int d0, int stride) {
        MemorySegment seg = data;
        long w0 = p * panelBytes, w1 = w0 + panelBytes, w2 = w1 + panelBytes, w3 = w2 + panelBytes;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, e0 = a0, e1 = a0, e2 = a0, e3 = a0;
        int x0 = row0 * cols, x1 = cols, x2 = 2 * cols, x3 = 3 * cols;
        for (int k = 0; k < blocks; k++) {
            long bo = k * BLOCK_BYTES;
            FloatVector s0 = scales(seg, w0 + bo), s1 = scales(seg, w1 + bo), s2 = scales(seg, w2 + bo), s3 = scales(seg, w3 + bo);
            int cb = k * BLOCK, count = Math.min(BLOCK, cols - cb);
            for (int i = 0; i < count; i++) {
                long o = bo + (long) i * L;
                FloatVector m0 = widen(seg, w0 + o).mul(s0), m1 = widen(seg, w1 + o).mul(s1);
                FloatVector m2 = widen(seg, w2 + o).mul(s2), m3 = widen(seg, w3 + o).mul(s3);
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
        }
        int d = d0;
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); c0.intoArray(dst, d + 2 * L); e0.intoArray(dst, d + 3 * L); d += stride;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); c1.intoArray(dst, d + 2 * L); e1.intoArray(dst, d + 3 * L); d += stride;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); c2.intoArray(dst, d + 2 * L); e2.intoArray(dst, d + 3 * L); d += stride;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L); c3.intoArray(dst, d + 2 * L); e3.intoArray(dst, d + 3 * L);
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
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        MemorySegment seg = data;
        long u = w + panelBytes;
        int c1 = cols, c2 = 2 * cols, c3 = 3 * cols, c4 = 4 * cols, c5 = 5 * cols, c6 = 6 * cols, c7 = 7 * cols;
        for (int k = 0; k < blocks; k++) {
            long bo = k * BLOCK_BYTES;
            FloatVector dw = scales(seg, w + bo), du = scales(seg, u + bo);
            int cb = k * BLOCK, count = Math.min(BLOCK, cols - cb);
            for (int i = 0; i < count; i++) {
                long o = bo + (long) i * L;
                FloatVector m = widen(seg, w + o).mul(dw), n = widen(seg, u + o).mul(du);
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
        }
        int d = d0;
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); d += stride;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); d += stride;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); d += stride;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L); d += stride;
        a4.intoArray(dst, d); b4.intoArray(dst, d + L); d += stride;
        a5.intoArray(dst, d); b5.intoArray(dst, d + L); d += stride;
        a6.intoArray(dst, d); b6.intoArray(dst, d + L); d += stride;
        a7.intoArray(dst, d); b7.intoArray(dst, d + L);
    }

    /** As {@link #tile2x8} for 4 activation rows. */
    private void tile2x4(long w, float[] x, int x0, float[] dst, int d0, int stride) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        MemorySegment seg = data;
        long u = w + panelBytes;
        int c1 = cols, c2 = 2 * cols, c3 = 3 * cols;
        for (int k = 0; k < blocks; k++) {
            long bo = k * BLOCK_BYTES;
            FloatVector dw = scales(seg, w + bo), du = scales(seg, u + bo);
            int cb = k * BLOCK, count = Math.min(BLOCK, cols - cb);
            for (int i = 0; i < count; i++) {
                long o = bo + (long) i * L;
                FloatVector m = widen(seg, w + o).mul(dw), n = widen(seg, u + o).mul(du);
                int c = x0 + cb + i;
                FloatVector v = FloatVector.broadcast(F, x[c]); a0 = m.fma(v, a0); b0 = n.fma(v, b0);
                v = FloatVector.broadcast(F, x[c + c1]); a1 = m.fma(v, a1); b1 = n.fma(v, b1);
                v = FloatVector.broadcast(F, x[c + c2]); a2 = m.fma(v, a2); b2 = n.fma(v, b2);
                v = FloatVector.broadcast(F, x[c + c3]); a3 = m.fma(v, a3); b3 = n.fma(v, b3);
            }
        }
        int d = d0;
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); d += stride;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); d += stride;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); d += stride;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L);
    }
}
