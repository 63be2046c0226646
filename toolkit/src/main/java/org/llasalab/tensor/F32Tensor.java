package org.llasalab.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * An f32 weight matrix in a (mapped or off-heap) segment. One activation row: 4 weight rows at a time
 * straight from the segment (4 independent FMA chains); several: each block of 4 rows is copied to the
 * worker's scratch and multiplied by the {@link Gemm}. Both sum in the GEMM's order (vector chunks, a
 * fixed lane reduction, the scalar tail), so results do not depend on the blocking.
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
    public int scratchFloats(int n) {
        return n > 1 ? 4 * cols : 0;
    }

    @Override
    public void matmul(float[] x, int n, float[] out, int outStride, int rowBase, int from, int to, float[] scratch) {
        long rowBytes = (long) cols * 4;
        int upper = F.loopBound(cols);
        int r = from;
        for (; r + 4 <= to; r += 4) {
            if (n == 1) {
                block4x1(data, r * rowBytes, rowBytes, x, 0, cols, out, r - rowBase);
            } else {
                MemorySegment.copy(data, LE_FLOAT, r * rowBytes, scratch, 0, 4 * cols);
                Gemm.rowBlock(scratch, 0, cols, upper, x, 0, n, out, outStride, r - rowBase);
            }
        }
        for (; r < to; r++) {
            for (int b = 0; b < n; b++) out[b * outStride + r - rowBase] = dot(data, r * rowBytes, x, b * cols, cols);
        }
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
