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
     * The activation rows as this format's {@link #matmul} reads them: {@code x} itself, or a copy in
     * another column order written to {@code buffer} (length at least {@code n * cols()}). {@link MatMul}
     * arranges the rows once per call, before the workers start.
     */
    default float[] arrange(float[] x, int n, float[] buffer) {
        return x;
    }

    /** Whether {@link #arrange} reorders the activations (and so needs a buffer). */
    default boolean arranges() {
        return false;
    }

    /**
     * For rows {@code r} in {@code [from, to)} and activation rows {@code b} in {@code [0, n)}:
     * {@code out[b * outStride + r - rowBase] = sum_c W[r][c] * x[b * cols + c]}, with {@code x} as
     * {@link #arrange} returned it.
     * The result for each (r, b) pair is bit-identical whatever n, from and to are.
     *
     * @param scratch a worker-owned scratch array (see {@link Parallel#scratch}) of at least
     *                {@link #scratchFloats(int) scratchFloats(n)} floats
     */
    void matmul(float[] x, int n, float[] out, int outStride, int rowBase, int from, int to, float[] scratch);

    /**
     * Rows that {@link #matmul}'s kernels handle together: {@link MatMul} cuts the rows it hands to the
     * workers at multiples of it (any range stays correct; a cut elsewhere only costs a partial block).
     */
    default int rowBlock() {
        return 4;
    }

    /** Scratch floats {@link #matmul} needs for {@code n} activation rows. */
    default int scratchFloats(int n) {
        return 0;
    }
}
