package org.llasalab.tensor;

import java.lang.foreign.Arena;
import java.util.Random;

/**
 * The compute ceiling a batched decode step is held against: the f32 GEMM ({@link MatMul} over an
 * {@link F32Tensor}) of {@code n} activation rows by {@value #ROWS} weight rows of the model's width,
 * small enough to stay in the caches, on the same pool, so that it measures arithmetic and not memory.
 */
public final class MatMulPeak implements AutoCloseable {
    /** Weight rows of the probe matrix. */
    public static final int ROWS = 512;

    private final Parallel pool;
    private final Arena arena = Arena.ofShared();
    private final F32Tensor w;
    private final int cols;
    private float[] x = new float[0];
    private float[] out = new float[0];

    public MatMulPeak(Parallel pool, int cols) {
        this.pool = pool;
        this.cols = cols;
        Random r = new Random(1);
        float[] values = new float[ROWS * cols];
        for (int i = 0; i < values.length; i++) values[i] = (float) r.nextGaussian();
        this.w = F32Tensor.of(arena, values, ROWS, cols);
    }

    /** Best FLOP/s of {@code passes} passes of at least 20 ms each, at {@code n} activation rows. */
    public double measure(int n, int passes) {
        if (x.length < n * cols) {
            x = new float[n * cols];
            Random r = new Random(2);
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            out = new float[n * ROWS];
        }
        double best = 0;
        for (int p = 0; p < passes; p++) {
            int calls = 0;
            long t0 = System.nanoTime(), elapsed;
            do {
                MatMul.run(pool, w, x, n, out);
                calls++;
                elapsed = System.nanoTime() - t0;
            } while (elapsed < 20_000_000L);
            best = Math.max(best, 2.0 * n * ROWS * cols * calls / (elapsed / 1e9));
        }
        if (Float.isNaN(out[0])) throw new IllegalStateException("unreachable");
        return best;
    }

    @Override
    public void close() {
        arena.close();
    }
}
