package org.llasalab.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A bf16 weight matrix used in place from its (mapped) segment. bf16 -> f32 is exact: the 16 bits
 * become the upper half of an f32 (load 16 shorts, widen to int lanes, shift left 16, reinterpret).
 * <ul>
 * <li>One activation row: 4 weight rows at a time, converted in registers, 4 independent FMA chains.</li>
 * <li>Several rows: each block of 4 weight rows is converted once into the worker's f32 scratch and
 *     multiplied against all activation rows with the f32 4x4 kernel.</li>
 * </ul>
 * Both paths sum in the same order as {@link F32Tensor}, so batched and single results are identical.
 */
public final class BF16Tensor implements WeightMatrix {
    private static final VectorSpecies<Float> F = F32Tensor.F;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED.withShape(
            VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final MemorySegment data;
    private final int rows;
    private final int cols;

    public BF16Tensor(MemorySegment data, int rows, int cols) {
        if (data.byteSize() != (long) rows * cols * 2) {
            throw new IllegalArgumentException("bf16 [" + rows + ", " + cols + "] needs " + (long) rows * cols * 2
                    + " bytes, segment has " + data.byteSize());
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
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
    public long scratchBytes() {
        return 4L * cols * 4;
    }

    @Override
    public void copyRow(int row, float[] dst, int offset) {
        long base = (long) row * cols * 2;
        for (int c = 0; c < cols; c++) dst[offset + c] = Float.intBitsToFloat((data.get(LE_SHORT, base + 2L * c) & 0xffff) << 16);
    }

    /** 16 bf16 values at byte offset {@code off} as an f32 vector. */
    private static FloatVector load(MemorySegment w, long off) {
        return ((IntVector) ShortVector.fromMemorySegment(S, w, off, LE).convertShape(VectorOperators.S2I, I, 0))
                .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    @Override
    public void matmul(float[] x, int n, float[] out, int outStride, int rowBase, int from, int to, MemorySegment scratch) {
        long rowBytes = (long) cols * 2;
        int r = from;
        if (n == 1) {
            for (; r + 4 <= to; r += 4) block4x1(data, r * rowBytes, rowBytes, x, cols, out, r - rowBase);
        } else {
            long scratchRow = (long) cols * 4;
            for (; r + 4 <= to; r += 4) {
                toF32(data, r * rowBytes, 4 * cols, scratch);
                int b = 0;
                for (; b + 4 <= n; b += 4) {
                    F32Tensor.block4x4(scratch, 0, scratchRow, x, b * cols, cols, out, b * outStride + r - rowBase, outStride);
                }
                for (; b < n; b++) F32Tensor.block4x1(scratch, 0, scratchRow, x, b * cols, cols, out, b * outStride + r - rowBase);
            }
        }
        for (; r < to; r++) {
            for (int b = 0; b < n; b++) out[b * outStride + r - rowBase] = dot(data, r * rowBytes, x, b * cols, cols);
        }
    }

    /** Converts {@code count} bf16 values at byte offset {@code off} to f32 at the start of {@code dst}. */
    private static void toF32(MemorySegment w, long off, int count, MemorySegment dst) {
        int upper = F.loopBound(count);
        int c = 0;
        for (; c < upper; c += F.length()) load(w, off + 2L * c).intoMemorySegment(dst, 4L * c, LE);
        for (; c < count; c++) {
            dst.set(F32Tensor.LE_FLOAT, 4L * c, Float.intBitsToFloat((w.get(LE_SHORT, off + 2L * c) & 0xffff) << 16));
        }
    }

    private static void block4x1(MemorySegment w, long w0, long rowBytes, float[] x, int cols, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
        int upper = F.loopBound(cols);
        for (int c = 0; c < upper; c += F.length()) {
            long cb = (long) c * 2;
            FloatVector v = FloatVector.fromArray(F, x, c);
            a0 = load(w, w0 + cb).fma(v, a0);
            a1 = load(w, w1 + cb).fma(v, a1);
            a2 = load(w, w2 + cb).fma(v, a2);
            a3 = load(w, w3 + cb).fma(v, a3);
        }
        out[o] = finish(a0, w, w0, x, 0, upper, cols);
        out[o + 1] = finish(a1, w, w1, x, 0, upper, cols);
        out[o + 2] = finish(a2, w, w2, x, 0, upper, cols);
        out[o + 3] = finish(a3, w, w3, x, 0, upper, cols);
    }

    private static float dot(MemorySegment w, long w0, float[] x, int x0, int cols) {
        FloatVector a = FloatVector.zero(F);
        int upper = F.loopBound(cols);
        for (int c = 0; c < upper; c += F.length()) a = load(w, w0 + 2L * c).fma(FloatVector.fromArray(F, x, x0 + c), a);
        return finish(a, w, w0, x, x0, upper, cols);
    }

    private static float finish(FloatVector acc, MemorySegment w, long w0, float[] x, int x0, int upper, int cols) {
        float s = Kernels.sumLanes(acc);
        for (int c = upper; c < cols; c++) s += Float.intBitsToFloat((w.get(LE_SHORT, w0 + 2L * c) & 0xffff) << 16) * x[x0 + c];
        return s;
    }
}
