package org.llasalab.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/**
 * An f32 weight matrix repacked when loading into panels of L rows ({@link PanelMatrix}): column c of a
 * panel is L consecutive floats. The plain f32 GEMM of the engine: resident f32 checkpoints use it, and
 * {@link MatMulPeak} measures it as the compute ceiling a batched decode step is held against.
 */
public final class PackedF32Tensor extends PanelMatrix {
    /** Bytes of one column of one panel. */
    private static final long STEP = 4L * L;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final MemorySegment data;
    private final long panelBytes;

    private PackedF32Tensor(MemorySegment data, int rows, int cols) {
        super(rows, cols);
        this.data = data;
        this.panelBytes = cols * STEP;
    }

    /** Packs {@code src} (any format, read as f32 rows) into native memory owned by {@code arena}. */
    public static PackedF32Tensor pack(WeightMatrix src, Arena arena, Parallel pool) {
        int rows = src.rows(), cols = src.cols();
        long panelBytes = cols * STEP;
        MemorySegment dst = HugePages.allocate(arena, storedPanels(rows) * panelBytes);
        pool.forEach((rows + L - 1) / L, (p, worker) -> {
            float[] row = new float[cols];
            float[] panel = new float[cols * L];
            for (int i = 0; i < L && p * L + i < rows; i++) {
                src.copyRow(p * L + i, row, 0);
                for (int c = 0; c < cols; c++) panel[c * L + i] = row[c];
            }
            MemorySegment.copy(panel, 0, dst, ValueLayout.JAVA_FLOAT.withOrder(LE), p * panelBytes, panel.length);
        });
        return new PackedF32Tensor(dst, rows, cols);
    }

    @Override
    public long byteSize() {
        return (long) rows * cols * 4;
    }

    @Override
    public void copyRow(int row, float[] dst, int offset) {
        long base = (long) (row / L) * panelBytes + 4L * (row % L);
        for (int c = 0; c < cols; c++) dst[offset + c] = data.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE), base + c * STEP);
    }

    @Override
    void fourPanels(int p, float[] x, float[] dst, int d0) {
        MemorySegment seg = data;
        long w0 = p * panelBytes, w1 = w0 + panelBytes, w2 = w1 + panelBytes, w3 = w2 + panelBytes;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int c = 0; c < cols; c++) {
            long o = c * STEP;
            FloatVector v = FloatVector.broadcast(F, x[c]);
            a0 = FloatVector.fromMemorySegment(F, seg, w0 + o, LE).fma(v, a0);
            a1 = FloatVector.fromMemorySegment(F, seg, w1 + o, LE).fma(v, a1);
            a2 = FloatVector.fromMemorySegment(F, seg, w2 + o, LE).fma(v, a2);
            a3 = FloatVector.fromMemorySegment(F, seg, w3 + o, LE).fma(v, a3);
        }
        a0.intoArray(dst, d0);
        a1.intoArray(dst, d0 + L);
        a2.intoArray(dst, d0 + 2 * L);
        a3.intoArray(dst, d0 + 3 * L);
    }

    @Override
    void fourPanelsFourRows(int p, float[] x, int row0, float[] dst, int d0, int stride) {
        MemorySegment seg = data;
        long w0 = p * panelBytes, w1 = w0 + panelBytes, w2 = w1 + panelBytes, w3 = w2 + panelBytes;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, e0 = a0, e1 = a0, e2 = a0, e3 = a0;
        int x0 = row0 * cols, x1 = cols, x2 = 2 * cols, x3 = 3 * cols;
        for (int j = 0; j < cols; j++) {
            long o = j * STEP;
            FloatVector m0 = FloatVector.fromMemorySegment(F, seg, w0 + o, LE), m1 = FloatVector.fromMemorySegment(F, seg, w1 + o, LE);
            FloatVector m2 = FloatVector.fromMemorySegment(F, seg, w2 + o, LE), m3 = FloatVector.fromMemorySegment(F, seg, w3 + o, LE);
            int c = x0 + j;
            FloatVector v = FloatVector.broadcast(F, x[c]);
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
    }

    @Override
    void fourPanelsTwoRows(int p, float[] x, int row0, float[] dst, int d0, int stride) {
        MemorySegment seg = data;
        long w0 = p * panelBytes, w1 = w0 + panelBytes, w2 = w1 + panelBytes, w3 = w2 + panelBytes;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, e0 = a0, e1 = a0;
        int x0 = row0 * cols, x1 = cols;
        for (int j = 0; j < cols; j++) {
            long o = j * STEP;
            int c = x0 + j;
            FloatVector v = FloatVector.broadcast(F, x[c]), u = FloatVector.broadcast(F, x[c + x1]);
            FloatVector m = FloatVector.fromMemorySegment(F, seg, w0 + o, LE);
            a0 = m.fma(v, a0); a1 = m.fma(u, a1);
            m = FloatVector.fromMemorySegment(F, seg, w1 + o, LE);
            b0 = m.fma(v, b0); b1 = m.fma(u, b1);
            m = FloatVector.fromMemorySegment(F, seg, w2 + o, LE);
            c0 = m.fma(v, c0); c1 = m.fma(u, c1);
            m = FloatVector.fromMemorySegment(F, seg, w3 + o, LE);
            e0 = m.fma(v, e0); e1 = m.fma(u, e1);
        }
        a0.intoArray(dst, d0); b0.intoArray(dst, d0 + L); c0.intoArray(dst, d0 + 2 * L); e0.intoArray(dst, d0 + 3 * L);
        int d = d0 + stride;
        a1.intoArray(dst, d); b1.intoArray(dst, d + L); c1.intoArray(dst, d + 2 * L); e1.intoArray(dst, d + 3 * L);
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
        for (int j = 0; j < cols; j++) {
            long o = j * STEP;
            FloatVector m = FloatVector.fromMemorySegment(F, seg, w + o, LE), n = FloatVector.fromMemorySegment(F, seg, u + o, LE);
            int c = x0 + j;
            FloatVector v = FloatVector.broadcast(F, x[c]); a0 = m.fma(v, a0); b0 = n.fma(v, b0);
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
        MemorySegment seg = data;
        long u = w + panelBytes;
        int c1 = cols, c2 = 2 * cols, c3 = 3 * cols;
        for (int j = 0; j < cols; j++) {
            long o = j * STEP;
            FloatVector m = FloatVector.fromMemorySegment(F, seg, w + o, LE), n = FloatVector.fromMemorySegment(F, seg, u + o, LE);
            int c = x0 + j;
            FloatVector v = FloatVector.broadcast(F, x[c]); a0 = m.fma(v, a0); b0 = n.fma(v, b0);
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
}
