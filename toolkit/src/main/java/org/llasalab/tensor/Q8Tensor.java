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
 * The kernels compute exactly what {@link F32Tensor} computes on the dequantized matrix (each weight
 * rounded to f32 as {@code q * d}, then the same summation order), so a Q8 model is an f32 model of its
 * dequantized weights:
 * <ul>
 * <li>One activation row: 4 weight rows at a time, each vector of int8 widened to f32 in registers
 *     (sign-extend + convert) and scaled by its block's d, 4 independent FMA chains.</li>
 * <li>Several rows: each block of 4 weight rows is dequantized once into the worker's f32 scratch and
 *     multiplied against all activation rows by the f32 GEMM ({@link Gemm}).</li>
 * </ul>
 */
public final class Q8Tensor implements WeightMatrix {
    /** Columns per scale. */
    public static final int BLOCK = 32;

    private static final VectorSpecies<Float> F = F32Tensor.F;
    /** Bytes of one float vector's int8 weights, or null where that is narrower than a vector shape (8 bytes). */
    private static final VectorSpecies<Byte> B = F.length() >= 8
            ? ByteVector.SPECIES_64.withShape(VectorShape.forBitSize(F.length() * 8)) : null;
    private static final ValueLayout.OfFloat LE_FLOAT = F32Tensor.LE_FLOAT;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final MemorySegment quants; // rows x cols int8, row-major
    private final MemorySegment scales; // rows x blocks f32
    private final int rows;
    private final int cols;
    private final int blocks;

    private Q8Tensor(MemorySegment quants, MemorySegment scales, int rows, int cols) {
        this.quants = quants;
        this.scales = scales;
        this.rows = rows;
        this.cols = cols;
        this.blocks = (cols + BLOCK - 1) / BLOCK;
    }

    /**
     * Quantizes {@code src} (any format) into native memory owned by {@code arena}, rows spread over
     * {@code pool}'s threads.
     */
    public static Q8Tensor quantize(WeightMatrix src, Arena arena, Parallel pool) {
        int rows = src.rows(), cols = src.cols();
        int blocks = (cols + BLOCK - 1) / BLOCK;
        MemorySegment q = arena.allocate((long) rows * cols, 64);
        MemorySegment d = arena.allocate((long) rows * blocks * 4, 64);
        int chunk = 64;
        pool.forEach((rows + chunk - 1) / chunk, (task, worker) -> {
            float[] row = new float[cols];
            for (int r = task * chunk, end = Math.min(rows, r + chunk); r < end; r++) {
                src.copyRow(r, row, 0);
                quantizeRow(row, q, (long) r * cols, d, (long) r * blocks * 4);
            }
        });
        return new Q8Tensor(q, d, rows, cols);
    }

    private static void quantizeRow(float[] row, MemorySegment q, long qOff, MemorySegment d, long dOff) {
        for (int b = 0, c0 = 0; c0 < row.length; b++, c0 += BLOCK) {
            int end = Math.min(row.length, c0 + BLOCK);
            float amax = 0;
            for (int c = c0; c < end; c++) amax = Math.max(amax, Math.abs(row[c]));
            float scale = amax / 127f;
            float inv = scale == 0 ? 0 : 1f / scale;
            for (int c = c0; c < end; c++) {
                int v = Math.round(row[c] * inv);
                q.set(ValueLayout.JAVA_BYTE, qOff + c, (byte) Math.max(-127, Math.min(127, v)));
            }
            d.set(LE_FLOAT, dOff + 4L * b, scale);
        }
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
        return quants.byteSize() + scales.byteSize();
    }

    @Override
    public int scratchFloats(int n) {
        return 4 * cols;
    }

    /** The dequantized weight {@code (row, c)}: {@code q * d} rounded to f32. */
    private float weight(int row, int c) {
        return quants.get(ValueLayout.JAVA_BYTE, (long) row * cols + c) * scale(row, c);
    }

    private float scale(int row, int c) {
        return scales.get(LE_FLOAT, ((long) row * blocks + c / BLOCK) * 4);
    }

    @Override
    public void copyRow(int row, float[] dst, int offset) {
        for (int c = 0; c < cols; c++) dst[offset + c] = weight(row, c);
    }

    @Override
    public void matmul(float[] x, int n, float[] out, int outStride, int rowBase, int from, int to, float[] scratch) {
        int upper = F.loopBound(cols);
        int r = from;
        for (; r + 4 <= to; r += 4) {
            if (n == 1 && B != null) {
                block4x1(r, x, out, r - rowBase);
            } else {
                dequantize(r, 4, scratch);
                Gemm.rowBlock(scratch, 0, cols, upper, x, 0, n, out, outStride, r - rowBase);
            }
        }
        for (; r < to; r++) {
            dequantize(r, 1, scratch);
            for (int b = 0; b < n; b++) out[b * outStride + r - rowBase] = Gemm.dot(scratch, 0, x, b * cols, cols, upper);
        }
    }

    /** Rows {@code r..r+count-1} as f32 at the start of {@code dst} (row i at byte 4*cols*i). */
    private void dequantize(int r, int count, float[] dst) {
        int upper = B == null ? 0 : F.loopBound(cols);
        for (int i = 0; i < count; i++) {
            long q0 = (long) (r + i) * cols, d0 = (long) (r + i) * blocks * 4;
            int o = cols * i;
            int c = 0;
            for (; c < upper; c += F.length()) {
                widen(q0 + c).mul(scales.get(LE_FLOAT, d0 + (c / BLOCK) * 4L)).intoArray(dst, o + c);
            }
            for (; c < cols; c++) dst[o + c] = weight(r + i, c);
        }
    }

    /** The int8 weights at byte {@code off} as an f32 vector (sign-extended, converted; not yet scaled). */
    private FloatVector widen(long off) {
        return (FloatVector) ByteVector.fromMemorySegment(B, quants, off, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    private void block4x1(int r, float[] x, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long q0 = (long) r * cols, q1 = q0 + cols, q2 = q1 + cols, q3 = q2 + cols;
        long d0 = (long) r * blocks * 4, d1 = d0 + blocks * 4L, d2 = d1 + blocks * 4L, d3 = d2 + blocks * 4L;
        int upper = F.loopBound(cols);
        for (int c = 0; c < upper; c += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, c);
            long db = (c / BLOCK) * 4L;
            a0 = widen(q0 + c).mul(scales.get(LE_FLOAT, d0 + db)).fma(v, a0);
            a1 = widen(q1 + c).mul(scales.get(LE_FLOAT, d1 + db)).fma(v, a1);
            a2 = widen(q2 + c).mul(scales.get(LE_FLOAT, d2 + db)).fma(v, a2);
            a3 = widen(q3 + c).mul(scales.get(LE_FLOAT, d3 + db)).fma(v, a3);
        }
        out[o] = finish(a0, r, x, upper);
        out[o + 1] = finish(a1, r + 1, x, upper);
        out[o + 2] = finish(a2, r + 2, x, upper);
        out[o + 3] = finish(a3, r + 3, x, upper);
    }

    private float finish(FloatVector acc, int row, float[] x, int upper) {
        float s = Kernels.sumLanes(acc);
        for (int c = upper; c < cols; c++) s += weight(row, c) * x[c];
        return s;
    }
}
