package org.llasalab.tensor;

/**
 * A 2-D weight {@code W[rows][cols]} (row-major, as in PyTorch's Linear: out = W x) used in place
 * from its storage. Each storage format carries its own vectorized kernels.
 */
public interface WeightMatrix {
    int rows();

    int cols();

    /** Bytes of weight data (what one full pass streams from memory). */
    long byteSize();

    /** Copies row {@code row} into {@code dst[offset..offset+cols)} as f32. */
    void copyRow(int row, float[] dst, int offset);

    /**
     * For rows {@code r} in {@code [from, to)} and activation rows {@code b} in {@code [0, n)}:
     * {@code out[b * outStride + r - rowBase] = sum_c W[r][c] * x[b * cols + c]}.
     * The result for each (r, b) pair is bit-identical whatever n, from and to are.
     *
     * @param scratch a worker-owned scratch segment (see {@link Parallel#scratch}) of at least
     *                {@link #scratchBytes()} bytes
     */
    void matmul(float[] x, int n, float[] out, int outStride, int rowBase, int from, int to, java.lang.foreign.MemorySegment scratch);

    /** Scratch bytes {@link #matmul} needs. */
    default long scratchBytes() {
        return 0;
    }
}
