package org.llasalab.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A bf16 weight matrix repacked when loading into panels of L rows ({@link PanelMatrix}). Inside a panel,
 * column pair {@code (2j, 2j+1)} is one vector of L int lanes, lane i holding row i's two bf16 weights (the
 * even column in the low half): {@code lanes << 16} is the even column as f32, {@code lanes & 0xffff0000}
 * the odd one (bf16 -> f32 is exact), so one load and two integer ops give two weight columns.
 * <p>
 * Measured on an AMD EPYC (Zen 5, AVX-512, 2 cores), same data, against the row-major {@link BF16Tensor}
 * (dot products along the rows, reduced across lanes): one activation row streams 74 against 51-53 GB/s
 * from memory (a 128 MiB matrix); 16 activation rows run at 398 GFLOP/s on cache-resident weights
 * (register-only FMA peak of the Vector API there: about 450) and 270-345 from memory, against about 150
 * for the row-major tiles, which load an activation vector for every weight vector and reduce lanes.
 * AVX-512 BF16's {@code vdpbf16ps} (two bf16 products per f32 lane) is out of reach: the Vector API has
 * no bf16 lanes and no such operation, so batched decode is bound by the f32 FMA rate.
 */
public final class PackedBF16Tensor extends PanelMatrix {
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Bytes of one column pair of one panel. */
    private static final long STEP = 4L * L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    private final MemorySegment data;
    /** Whole column pairs; an odd last column is stored as a pair with a zero high half. */
    private final int pairs;
    private final long panelBytes;

    private PackedBF16Tensor(MemorySegment data, int rows, int cols) {
        super(rows, cols);
        this.data = data;
        this.pairs = cols / 2;
        this.panelBytes = ((cols + 1) / 2) * STEP;
    }

    /**
     * Packs the row-major bf16 matrix {@code src} ({@code rows x cols}, little-endian) into native memory
     * owned by {@code arena}, panels spread over {@code pool}'s threads.
     */
    public static PackedBF16Tensor pack(MemorySegment src, int rows, int cols, Arena arena, Parallel pool) {
        if (src.byteSize() != (long) rows * cols * 2) {
            throw new IllegalArgumentException("bf16 [" + rows + ", " + cols + "] needs " + (long) rows * cols * 2
                    + " bytes, segment has " + src.byteSize());
        }
        int slots = (cols + 1) / 2;
        long panelBytes = slots * STEP;
        MemorySegment dst = HugePages.allocate(arena, storedPanels(rows) * panelBytes);
        pool.forEach((rows + L - 1) / L, (p, worker) -> {
            int[] panel = new int[slots * L];
            for (int i = 0; i < L && p * L + i < rows; i++) {
                long row = (long) (p * L + i) * cols * 2;
                for (int j = 0; j < slots; j++) {
                    int c = 2 * j;
                    int lo = src.get(LE_SHORT, row + 2L * c) & 0xffff;
                    int hi = c + 1 < cols ? src.get(LE_SHORT, row + 2L * c + 2) << 16 : 0;
                    panel[j * L + i] = lo | hi;
                }
            }
            MemorySegment.copy(panel, 0, dst, ValueLayout.JAVA_INT.withOrder(LE), p * panelBytes, panel.length);
        });
        return new PackedBF16Tensor(dst, rows, cols);
    }

    /** The bytes one pass reads: 2 per weight (a last partial panel's padding rows aside). */
    @Override
    public long byteSize() {
        return (long) rows * cols * 2;
    }

    @Override
    public void copyRow(int row, float[] dst, int offset) {
        long base = (long) (row / L) * panelBytes + 4L * (row % L);
        for (int c = 0; c < cols; c++) {
            int pair = data.get(LE_INT, base + (c / 2) * STEP);
            dst[offset + c] = Float.intBitsToFloat(c % 2 == 0 ? pair << 16 : pair & 0xffff0000);
        }
    }

    @Override
    void fourPanels(int p, float[] x, float[] dst, int d0) {
        block4x1(p * panelBytes, x, dst, d0);
    }

    @Override
    void twoPanels(int p, float[] x, int b0, int n, float[] dst, int d0, int stride) {
        long w = p * panelBytes;
        int b = 0;
        if (TILE == 8) for (; b + 8 <= n; b += 8) tile2x8(w, x, (b0 + b) * cols, dst, d0 + b * stride, stride);
        for (; b < n; b += 4) tile2x4(w, x, (b0 + b) * cols, dst, d0 + b * stride, stride);
        if (pairs * 2 < cols) lastColumn(w, 2, x, b0 * cols, n, dst, d0, stride);
    }

    @Override
    void fourPanelsFourRows(int p, float[] x, int row0, float[] dst, int d0, int stride) {
        MemorySegment seg = data;
        long w0 = p * panelBytes, w1 = w0 + panelBytes, w2 = w1 + panelBytes, w3 = w2 + panelBytes;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, e0 = a0, e1 = a0, e2 = a0, e3 = a0;
        int x0 = row0 * cols, x1 = cols, x2 = 2 * cols, x3 = 3 * cols;
        for (int j = 0; j < pairs; j++) {
            long o = j * STEP;
            IntVector q0 = IntVector.fromMemorySegment(I, seg, w0 + o, LE), q1 = IntVector.fromMemorySegment(I, seg, w1 + o, LE);
            IntVector q2 = IntVector.fromMemorySegment(I, seg, w2 + o, LE), q3 = IntVector.fromMemorySegment(I, seg, w3 + o, LE);
            int c = x0 + 2 * j;
            FloatVector m0 = even(q0), m1 = even(q1), m2 = even(q2), m3 = even(q3);
            FloatVector v = FloatVector.broadcast(F, x[c]);
            a0 = m0.fma(v, a0); b0 = m1.fma(v, b0); c0 = m2.fma(v, c0); e0 = m3.fma(v, e0);
            v = FloatVector.broadcast(F, x[c + x1]);
            a1 = m0.fma(v, a1); b1 = m1.fma(v, b1); c1 = m2.fma(v, c1); e1 = m3.fma(v, e1);
            v = FloatVector.broadcast(F, x[c + x2]);
            a2 = m0.fma(v, a2); b2 = m1.fma(v, b2); c2 = m2.fma(v, c2); e2 = m3.fma(v, e2);
            v = FloatVector.broadcast(F, x[c + x3]);
            a3 = m0.fma(v, a3); b3 = m1.fma(v, b3); c3 = m2.fma(v, c3); e3 = m3.fma(v, e3);
            c++;
            m0 = odd(q0); m1 = odd(q1); m2 = odd(q2); m3 = odd(q3);
            v = FloatVector.broadcast(F, x[c]);
            a0 = m0.fma(v, a0); b0 = m1.fma(v, b0); c0 = m2.fma(v, c0); e0 = m3.fma(v, e0);
            v = FloatVector.broadcast(F, x[c + x1]);
            a1 = m0.fma(v, a1); b1 = m1.fma(v, b1); c1 = m2.fma(v, c1); e1 = m3.fma(v, e1);
            v = FloatVector.broadcast(F, x[c + x2]);
            a2 = m0.fma(v, a2); b2 = m1.fma(v, b2); c2 = m2.fma(v, c2); e2 = m3.fma(v, e2);
            v = FloatVector.broadcast(F, x[c + x3]);
            a3 = m0.fma(v, a3); b3 = m1.fma(v, b3); c3 = m2.fma(v, c3); e3 = m3.fma(v, e3);
        }
        int d = d0;
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); c0.intoArray(dst, d + 2 * L); e0.intoArray(dst, d + 3 * L); d += stride;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); c1.intoArray(dst, d + 2 * L); e1.intoArray(dst, d + 3 * L); d += stride;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); c2.intoArray(dst, d + 2 * L); e2.intoArray(dst, d + 3 * L); d += stride;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L); c3.intoArray(dst, d + 2 * L); e3.intoArray(dst, d + 3 * L);
        if (pairs * 2 < cols) lastColumn(w0, 4, x, x0, 4, dst, d0, stride);
    }

    @Override
    void fourPanelsTwoRows(int p, float[] x, int row0, float[] dst, int d0, int stride) {
        MemorySegment seg = data;
        long w0 = p * panelBytes, w1 = w0 + panelBytes, w2 = w1 + panelBytes, w3 = w2 + panelBytes;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, e0 = a0, e1 = a0;
        int x0 = row0 * cols, x1 = cols;
        for (int j = 0; j < pairs; j++) {
            long o = j * STEP;
            IntVector q0 = IntVector.fromMemorySegment(I, seg, w0 + o, LE), q1 = IntVector.fromMemorySegment(I, seg, w1 + o, LE);
            IntVector q2 = IntVector.fromMemorySegment(I, seg, w2 + o, LE), q3 = IntVector.fromMemorySegment(I, seg, w3 + o, LE);
            int c = x0 + 2 * j;
            FloatVector v = FloatVector.broadcast(F, x[c]), u = FloatVector.broadcast(F, x[c + x1]);
            FloatVector m = even(q0);
            a0 = m.fma(v, a0); a1 = m.fma(u, a1);
            m = even(q1);
            b0 = m.fma(v, b0); b1 = m.fma(u, b1);
            m = even(q2);
            c0 = m.fma(v, c0); c1 = m.fma(u, c1);
            m = even(q3);
            e0 = m.fma(v, e0); e1 = m.fma(u, e1);
            v = FloatVector.broadcast(F, x[c + 1]);
            u = FloatVector.broadcast(F, x[c + 1 + x1]);
            m = odd(q0);
            a0 = m.fma(v, a0); a1 = m.fma(u, a1);
            m = odd(q1);
            b0 = m.fma(v, b0); b1 = m.fma(u, b1);
            m = odd(q2);
            c0 = m.fma(v, c0); c1 = m.fma(u, c1);
            m = odd(q3);
            e0 = m.fma(v, e0); e1 = m.fma(u, e1);
        }
        a0.intoArray(dst, d0); b0.intoArray(dst, d0 + L); c0.intoArray(dst, d0 + 2 * L); e0.intoArray(dst, d0 + 3 * L);
        int d = d0 + stride;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); c1.intoArray(dst, d + 2 * L); e1.intoArray(dst, d + 3 * L);
        if (pairs * 2 < cols) lastColumn(w0, 4, x, x0, 2, dst, d0, stride);
    }

    private static FloatVector even(IntVector pairs) {
        return pairs.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static FloatVector odd(IntVector pairs) {
        return pairs.and(0xffff0000).reinterpretAsFloats();
    }

    /** Panels at byte {@code w}, +1, +2, +3 against activation row 0: rows to dst[d0 .. d0 + 4L). */
    private void block4x1(long w, float[] x, float[] dst, int d0) {
        MemorySegment seg = data;
        int pairs = this.pairs;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long w1 = w + panelBytes, w2 = w1 + panelBytes, w3 = w2 + panelBytes;
        for (int j = 0; j < pairs; j++) {
            long o = j * STEP;
            IntVector q0 = IntVector.fromMemorySegment(I, seg, w + o, LE), q1 = IntVector.fromMemorySegment(I, seg, w1 + o, LE);
            IntVector q2 = IntVector.fromMemorySegment(I, seg, w2 + o, LE), q3 = IntVector.fromMemorySegment(I, seg, w3 + o, LE);
            FloatVector v = FloatVector.broadcast(F, x[2 * j]);
            a0 = even(q0).fma(v, a0); a1 = even(q1).fma(v, a1); a2 = even(q2).fma(v, a2); a3 = even(q3).fma(v, a3);
            v = FloatVector.broadcast(F, x[2 * j + 1]);
            a0 = odd(q0).fma(v, a0); a1 = odd(q1).fma(v, a1); a2 = odd(q2).fma(v, a2); a3 = odd(q3).fma(v, a3);
        }
        a0.intoArray(dst, d0);
        a1.intoArray(dst, d0 + L);
        a2.intoArray(dst, d0 + 2 * L);
        a3.intoArray(dst, d0 + 3 * L);
        if (pairs * 2 < cols) lastColumn(w, 4, x, 0, 1, dst, d0, 0);
    }

    /** Panels at w, w + 1 against activation rows x0 + k * cols, k < 8: to dst[d0 + k * stride ..], 2L floats each. */
    private void tile2x8(long w, float[] x, int x0, float[] dst, int d0, int stride) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        long u = w + panelBytes;
        MemorySegment seg = data;
        int c1 = cols, c2 = 2 * cols, c3 = 3 * cols, c4 = 4 * cols, c5 = 5 * cols, c6 = 6 * cols, c7 = 7 * cols;
        for (int j = 0; j < pairs; j++) {
            long o = j * STEP;
            IntVector p = IntVector.fromMemorySegment(I, seg, w + o, LE), q = IntVector.fromMemorySegment(I, seg, u + o, LE);
            int c = x0 + 2 * j;
            FloatVector m = even(p), n = even(q);
            FloatVector v = FloatVector.broadcast(F, x[c]); a0 = m.fma(v, a0); b0 = n.fma(v, b0);
            v = FloatVector.broadcast(F, x[c + c1]); a1 = m.fma(v, a1); b1 = n.fma(v, b1);
            v = FloatVector.broadcast(F, x[c + c2]); a2 = m.fma(v, a2); b2 = n.fma(v, b2);
            v = FloatVector.broadcast(F, x[c + c3]); a3 = m.fma(v, a3); b3 = n.fma(v, b3);
            v = FloatVector.broadcast(F, x[c + c4]); a4 = m.fma(v, a4); b4 = n.fma(v, b4);
            v = FloatVector.broadcast(F, x[c + c5]); a5 = m.fma(v, a5); b5 = n.fma(v, b5);
            v = FloatVector.broadcast(F, x[c + c6]); a6 = m.fma(v, a6); b6 = n.fma(v, b6);
            v = FloatVector.broadcast(F, x[c + c7]); a7 = m.fma(v, a7); b7 = n.fma(v, b7);
            c++;
            m = odd(p);
            n = odd(q);
            v = FloatVector.broadcast(F, x[c]); a0 = m.fma(v, a0); b0 = n.fma(v, b0);
            v = FloatVector.broadcast(F, x[c + c1]); a1 = m.fma(v, a1); b1 = n.fma(v, b1);
            v = FloatVector.broadcast(F, x[c + c2]); a2 = m.fma(v, a2); b2 = n.fma(v, b2);
            v = FloatVector.broadcast(F, x[c + c3]); a3 = m.fma(v, a3); b3 = n.fma(v, b3);
            v = FloatVector.broadcast(F, x[c + c4]); a4 = m.fma(v, a4); b4 = n.fma(v, b4);
            v = FloatVector.broadcast(F, x[c + c5]); a5 = m.fma(v, a5); b5 = n.fma(v, b5);
            v = FloatVector.broadcast(F, x[c + c6]); a6 = m.fma(v, a6); b6 = n.fma(v, b6);
            v = FloatVector.broadcast(F, x[c + c7]); a7 = m.fma(v, a7); b7 = n.fma(v, b7);
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
        long u = w + panelBytes;
        MemorySegment seg = data;
        int c1 = cols, c2 = 2 * cols, c3 = 3 * cols;
        for (int j = 0; j < pairs; j++) {
            long o = j * STEP;
            IntVector p = IntVector.fromMemorySegment(I, seg, w + o, LE), q = IntVector.fromMemorySegment(I, seg, u + o, LE);
            int c = x0 + 2 * j;
            FloatVector m = even(p), n = even(q);
            FloatVector v = FloatVector.broadcast(F, x[c]); a0 = m.fma(v, a0); b0 = n.fma(v, b0);
            v = FloatVector.broadcast(F, x[c + c1]); a1 = m.fma(v, a1); b1 = n.fma(v, b1);
            v = FloatVector.broadcast(F, x[c + c2]); a2 = m.fma(v, a2); b2 = n.fma(v, b2);
            v = FloatVector.broadcast(F, x[c + c3]); a3 = m.fma(v, a3); b3 = n.fma(v, b3);
            c++;
            m = odd(p);
            n = odd(q);
            v = FloatVector.broadcast(F, x[c]); a0 = m.fma(v, a0); b0 = n.fma(v, b0);
            v = FloatVector.broadcast(F, x[c + c1]); a1 = m.fma(v, a1); b1 = n.fma(v, b1);
            v = FloatVector.broadcast(F, x[c + c2]); a2 = m.fma(v, a2); b2 = n.fma(v, b2);
            v = FloatVector.broadcast(F, x[c + c3]); a3 = m.fma(v, a3); b3 = n.fma(v, b3);
        }
        int d = d0;
        a0.intoArray(dst, d); b0.intoArray(dst, d + L); d += stride;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); d += stride;
        a2.intoArray(dst, d); b2.intoArray(dst, d + L); d += stride;
        a3.intoArray(dst, d); b3.intoArray(dst, d + L);
    }

    /**
     * The last, odd column of {@code panels} panels from {@code w} against {@code n} activation rows, added
     * to the sums already stored in dst (panel k of row b at {@code d0 + b * stride + k * L}): the same FMA
     * the loop would have done, so the sums stay sequential.
     */
    private void lastColumn(long w, int panels, float[] x, int x0, int n, float[] dst, int d0, int stride) {
        for (int k = 0; k < panels; k++) {
            FloatVector m = even(IntVector.fromMemorySegment(I, data, w + k * panelBytes + pairs * STEP, LE));
            for (int b = 0; b < n; b++) {
                int d = d0 + b * stride + k * L;
                m.fma(FloatVector.broadcast(F, x[x0 + b * cols + cols - 1]), FloatVector.fromArray(F, dst, d)).intoArray(dst, d);
            }
        }
    }
}
