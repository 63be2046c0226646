package org.llasalab.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * An f32 weight matrix in a (mapped or off-heap) segment, with register-blocked Vector API kernels:
 * 4 weight rows x 4 activation rows of accumulators, so that each loaded weight vector feeds 4 FMAs.
 * Every (row, activation) dot product is summed in the same order (16-lane chunks, then a lane
 * reduction, then the scalar tail) in every kernel, so results do not depend on the blocking.
 */
public final class F32Tensor implements WeightMatrix {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final MemorySegment data;
    private final int rows;
    private final int cols;

    public F32Tensor(MemorySegment data, int rows, int cols) {
        if (data.byteSize() != (long) rows * cols * 4) {
            throw new IllegalArgumentException("f32 [" + rows + ", " + cols + "] needs " + (long) rows * cols * 4
                    + " bytes, segment has " + data.byteSize());
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    /** A heap-free copy of {@code values} (rows x cols) in a native segment owned by {@code arena}. */
    public static F32Tensor of(java.lang.foreign.Arena arena, float[] values, int rows, int cols) {
        MemorySegment seg = arena.allocate((long) values.length * 4, 64);
        MemorySegment.copy(values, 0, seg, LE_FLOAT, 0, values.length);
        return new F32Tensor(seg, rows, cols);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public long byteSize() {
        return data.byteSize();
    }

    @Override
    public void copyRow(int row, float[] dst, int offset) {
        MemorySegment.copy(data, LE_FLOAT, (long) row * cols * 4, dst, offset, cols);
    }

    @Override
    public void matmul(float[] x, int n, float[] out, int outStride, int rowBase, int from, int to, MemorySegment scratch) {
        matmulF32(data, cols, x, n, out, outStride, rowBase, from, to);
    }

    /** The blocked f32 kernel over any segment holding rows of {@code cols} floats. */
    static void matmulF32(MemorySegment w, int cols, float[] x, int n, float[] out, int outStride, int rowBase, int from, int to) {
        long rowBytes = (long) cols * 4;
        int r = from;
        for (; r + 4 <= to; r += 4) {
            long w0 = r * rowBytes;
            int b = 0;
            for (; b + 4 <= n; b += 4) block4x4(w, w0, rowBytes, x, b * cols, cols, out, b * outStride + r - rowBase, outStride);
            for (; b < n; b++) block4x1(w, w0, rowBytes, x, b * cols, cols, out, b * outStride + r - rowBase);
        }
        for (; r < to; r++) {
            for (int b = 0; b < n; b++) out[b * outStride + r - rowBase] = dot(w, r * rowBytes, x, b * cols, cols);
        }
    }

    /** Rows w0..w0+3 (at byte offsets w0 + i*rowBytes) against activation rows x0..x0+3. */
    static void block4x4(MemorySegment w, long w0, long rowBytes, float[] x, int x0, int cols, float[] out, int o, int outStride) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        long w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
        int x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        int upper = F.loopBound(cols);
        for (int c = 0; c < upper; c += F.length()) {
            long cb = (long) c * 4;
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + c);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + c);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + c);
            FloatVector v3 = FloatVector.fromArray(F, x, x3 + c);
            FloatVector m = FloatVector.fromMemorySegment(F, w, w0 + cb, LE);
            a00 = m.fma(v0, a00); a01 = m.fma(v1, a01); a02 = m.fma(v2, a02); a03 = m.fma(v3, a03);
            m = FloatVector.fromMemorySegment(F, w, w1 + cb, LE);
            a10 = m.fma(v0, a10); a11 = m.fma(v1, a11); a12 = m.fma(v2, a12); a13 = m.fma(v3, a13);
            m = FloatVector.fromMemorySegment(F, w, w2 + cb, LE);
            a20 = m.fma(v0, a20); a21 = m.fma(v1, a21); a22 = m.fma(v2, a22); a23 = m.fma(v3, a23);
            m = FloatVector.fromMemorySegment(F, w, w3 + cb, LE);
            a30 = m.fma(v0, a30); a31 = m.fma(v1, a31); a32 = m.fma(v2, a32); a33 = m.fma(v3, a33);
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

    /** Rows w0..w0+3 against one activation row: four independent FMA chains. */
    static void block4x1(MemorySegment w, long w0, long rowBytes, float[] x, int x0, int cols, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
        int upper = F.loopBound(cols);
        for (int c = 0; c < upper; c += F.length()) {
            long cb = (long) c * 4;
            FloatVector v = FloatVector.fromArray(F, x, x0 + c);
            a0 = FloatVector.fromMemorySegment(F, w, w0 + cb, LE).fma(v, a0);
            a1 = FloatVector.fromMemorySegment(F, w, w1 + cb, LE).fma(v, a1);
            a2 = FloatVector.fromMemorySegment(F, w, w2 + cb, LE).fma(v, a2);
            a3 = FloatVector.fromMemorySegment(F, w, w3 + cb, LE).fma(v, a3);
        }
        out[o] = finish(a0, w, w0, x, x0, upper, cols);
        out[o + 1] = finish(a1, w, w1, x, x0, upper, cols);
        out[o + 2] = finish(a2, w, w2, x, x0, upper, cols);
        out[o + 3] = finish(a3, w, w3, x, x0, upper, cols);
    }

    static float dot(MemorySegment w, long w0, float[] x, int x0, int cols) {
        FloatVector a = FloatVector.zero(F);
        int upper = F.loopBound(cols);
        for (int c = 0; c < upper; c += F.length()) {
            a = FloatVector.fromMemorySegment(F, w, w0 + (long) c * 4, LE).fma(FloatVector.fromArray(F, x, x0 + c), a);
        }
        return finish(a, w, w0, x, x0, upper, cols);
    }

    /** Lane reduction of an accumulator plus the scalar tail {@code [upper, cols)}. */
    static float finish(FloatVector acc, MemorySegment w, long w0, float[] x, int x0, int upper, int cols) {
        float s = Kernels.sumLanes(acc);
        for (int c = upper; c < cols; c++) s += w.get(LE_FLOAT, w0 + (long) c * 4) * x[x0 + c];
        return s;
    }
}
