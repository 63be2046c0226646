package org.llasalab.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A bf16 weight matrix used in place from its (mapped) segment. bf16 -> f32 is exact: the 16 bits
 * become the upper half of an f32. The kernels load a full vector of 32-bit lanes, each holding two
 * bf16 weights (little-endian: the even column in the low half, the odd one in the high half), and
 * widen both in two lane-wise ops: {@code lanes << 16} gives the even columns as f32, {@code lanes &
 * 0xffff0000} the odd ones. The activations are reordered to match once per call (per chunk of 2L
 * columns, L = lanes of the species in use: the even columns, then the odd ones), so each weight
 * vector costs one load, two integer ops and two FMAs, whatever the vector width.
 * <ul>
 * <li>One activation row: 4 weight rows at a time, widened in registers, 4 independent FMA chains.</li>
 * <li>Several rows: register tiles of 4 weight rows x 2 activation rows, widened in registers; the
 *     4 rows (16 KiB at width 2048) stay in L1 for the next tiles, so each weight is read from memory
 *     once per call.</li>
 * </ul>
 * Every kernel sums in one order (vector chunks into one accumulator, even columns then odd, a fixed
 * lane reduction, the scalar tail), so batched and single results are identical.
 * <p>
 * No bf16 instructions: the Vector API has no bf16 lanes and no intrinsic for AVX-512 BF16's
 * {@code vdpbf16ps} (which would also need the activations rounded to bf16). The widening is cheap
 * enough without it: measured on an AMD EPYC (Zen 5, 2 cores), one row of activations against
 * cache-resident weights runs at 58-63 GB/s of bf16 per core (thread CPU time), about twice each
 * core's share of the 60-65 GB/s read bandwidth; streaming from memory on both cores the 4-row kernel
 * reads 49-50 GB/s (the old load-16-shorts-and-convert widening: 46-49 GB/s; one row at a time with
 * 4 accumulators: 35-38 GB/s).
 */
public final class BF16Tensor implements WeightMatrix {
    private static final VectorSpecies<Float> F = F32Tensor.F;
    /** Int lanes of the float species' shape: one load holds 2L bf16 weights. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final MemorySegment data;
    private final int rows;
    private final int cols;
    /** Columns covered by whole chunks of 2L (the rest is summed in scalar code, in column order). */
    private final int upper;

    public BF16Tensor(MemorySegment data, int rows, int cols) {
        if (data.byteSize() != (long) rows * cols * 2) {
            throw new IllegalArgumentException("bf16 [" + rows + ", " + cols + "] needs " + (long) rows * cols * 2
                    + " bytes, segment has " + data.byteSize());
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.upper = cols - cols % (2 * L);
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

    /** One widened weight row (for the rows past the last block of 4). */
    @Override
    public int scratchFloats(int n) {
        return cols;
    }

    @Override
    public void copyRow(int row, float[] dst, int offset) {
        long base = (long) row * cols * 2;
        for (int c = 0; c < cols; c++) dst[offset + c] = Float.intBitsToFloat((data.get(LE_SHORT, base + 2L * c) & 0xffff) << 16);
    }

    @Override
    public void matmul(float[] xp, int n, float[] out, int outStride, int rowBase, int from, int to, float[] scratch) {
        long rowBytes = (long) cols * 2;
        int r = from;
        for (; r + 4 <= to; r += 4) {
            long w0 = r * rowBytes;
            int o = r - rowBase;
            int b = 0;
            for (; b + 2 <= n; b += 2) tile4x2(w0, rowBytes, xp, b * cols, out, o + b * outStride, outStride);
            for (; b < n; b++) block4x1(w0, rowBytes, xp, b * cols, out, o + b * outStride);
        }
        for (; r < to; r++) {
            widen(r * rowBytes, scratch, 0);
            for (int b = 0; b < n; b++) out[b * outStride + r - rowBase] = Gemm.dot(scratch, 0, xp, b * cols, cols, upper);
        }
    }

    @Override
    public boolean arranges() {
        return true;
    }

    /** Each chunk of 2L columns of the n rows as its even columns, then its odd ones (the tail as it is). */
    @Override
    public float[] arrange(float[] x, int n, float[] xp) {
        for (int b = 0; b < n; b++) {
            int o = b * cols;
            for (int c = 0; c < upper; c += 2 * L) {
                for (int i = 0; i < L; i++) {
                    xp[o + c + i] = x[o + c + 2 * i];
                    xp[o + c + L + i] = x[o + c + 2 * i + 1];
                }
            }
            System.arraycopy(x, o + upper, xp, o + upper, cols - upper);
        }
        return xp;
    }

    /** The even columns of a chunk of 2L bf16 weights loaded as L int lanes. */
    private static FloatVector even(IntVector pairs) {
        return pairs.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** The odd columns of a chunk. */
    private static FloatVector odd(IntVector pairs) {
        return pairs.and(0xffff0000).reinterpretAsFloats();
    }

    private IntVector pairs(long off) {
        return IntVector.fromMemorySegment(I, data, off, LE);
    }

    /** One row at byte {@code w0} widened to f32 in the kernels' order into {@code dst[d0, d0 + cols)}. */
    private void widen(long w0, float[] dst, int d0) {
        for (int c = 0; c < upper; c += 2 * L) {
            IntVector p = pairs(w0 + 2L * c);
            even(p).intoArray(dst, d0 + c);
            odd(p).intoArray(dst, d0 + c + L);
        }
        for (int c = upper; c < cols; c++) dst[d0 + c] = weight(w0, c);
    }

    private float weight(long w0, int c) {
        return Float.intBitsToFloat((data.get(LE_SHORT, w0 + 2L * c) & 0xffff) << 16);
    }

    /**
     * 4 weight rows x 2 activation rows: 8 accumulators, 4 activation vectors, the weight vector in flight
     * (14 registers: fits AVX2's 16 as well as AVX-512's 32). Each weight vector feeds 4 FMAs. A 4 x 4
     * tile (26 registers) measured 4x slower on AVX-512: C2 gives up intrinsifying its vector loads
     * (a method too large to inline them all), so every vector is boxed.
     */
    private void tile4x2(long w0, long rowBytes, float[] xp, int x0, float[] out, int o, int outStride) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        long w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
        int x1 = x0 + cols;
        for (int c = 0; c < upper; c += 2 * L) {
            long cb = 2L * c;
            FloatVector e0 = FloatVector.fromArray(F, xp, x0 + c), o0 = FloatVector.fromArray(F, xp, x0 + c + L);
            FloatVector e1 = FloatVector.fromArray(F, xp, x1 + c), o1 = FloatVector.fromArray(F, xp, x1 + c + L);
            IntVector p = pairs(w0 + cb);
            FloatVector m = even(p);
            a00 = m.fma(e0, a00); a01 = m.fma(e1, a01);
            m = odd(p);
            a00 = m.fma(o0, a00); a01 = m.fma(o1, a01);
            p = pairs(w1 + cb);
            m = even(p);
            a10 = m.fma(e0, a10); a11 = m.fma(e1, a11);
            m = odd(p);
            a10 = m.fma(o0, a10); a11 = m.fma(o1, a11);
            p = pairs(w2 + cb);
            m = even(p);
            a20 = m.fma(e0, a20); a21 = m.fma(e1, a21);
            m = odd(p);
            a20 = m.fma(o0, a20); a21 = m.fma(o1, a21);
            p = pairs(w3 + cb);
            m = even(p);
            a30 = m.fma(e0, a30); a31 = m.fma(e1, a31);
            m = odd(p);
            a30 = m.fma(o0, a30); a31 = m.fma(o1, a31);
        }
        out[o] = finish(a00, w0, xp, x0);
        out[o + 1] = finish(a10, w1, xp, x0);
        out[o + 2] = finish(a20, w2, xp, x0);
        out[o + 3] = finish(a30, w3, xp, x0);
        o += outStride;
        out[o] = finish(a01, w0, xp, x1);
        out[o + 1] = finish(a11, w1, xp, x1);
        out[o + 2] = finish(a21, w2, xp, x1);
        out[o + 3] = finish(a31, w3, xp, x1);
    }

    /** 4 weight rows x 1 activation row: 4 independent FMA chains. */
    private void block4x1(long w0, long rowBytes, float[] xp, int x0, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
        for (int c = 0; c < upper; c += 2 * L) {
            long cb = 2L * c;
            FloatVector ve = FloatVector.fromArray(F, xp, x0 + c);
            FloatVector vo = FloatVector.fromArray(F, xp, x0 + c + L);
            IntVector p0 = pairs(w0 + cb), p1 = pairs(w1 + cb), p2 = pairs(w2 + cb), p3 = pairs(w3 + cb);
            a0 = even(p0).fma(ve, a0);
            a1 = even(p1).fma(ve, a1);
            a2 = even(p2).fma(ve, a2);
            a3 = even(p3).fma(ve, a3);
            a0 = odd(p0).fma(vo, a0);
            a1 = odd(p1).fma(vo, a1);
            a2 = odd(p2).fma(vo, a2);
            a3 = odd(p3).fma(vo, a3);
        }
        out[o] = finish(a0, w0, xp, x0);
        out[o + 1] = finish(a1, w1, xp, x0);
        out[o + 2] = finish(a2, w2, xp, x0);
        out[o + 3] = finish(a3, w3, xp, x0);
    }

    private float finish(FloatVector acc, long w0, float[] xp, int x0) {
        float s = Kernels.sumLanes(acc);
        for (int c = upper; c < cols; c++) s += weight(w0, c) * xp[x0 + c];
        return s;
    }
}
