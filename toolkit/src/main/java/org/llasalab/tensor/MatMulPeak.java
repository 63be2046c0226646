package org.llasalab.tensor;

import java.lang.foreign.Arena;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The compute ceiling a batched decode step is held against: the f32 GEMM ({@link MatMul} over a
 * {@link PackedF32Tensor}) of {@code n} activation rows by {@value #ROWS} weight rows of the model's width,
 * small enough to stay in the caches, on the same pool, so that it measures arithmetic and not memory.
 */
public final class MatMulPeak implements AutoCloseable {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Weight rows of the probe matrix. */
    public static final int ROWS = 512;

    private final Parallel pool;
    private final Arena arena = Arena.ofShared();
    private final PackedF32Tensor w;
    private final int cols;
    private float[] x = new float[0];
    private float[] out = new float[0];

    public MatMulPeak(Parallel pool, int cols) {
        this.pool = pool;
        this.cols = cols;
        Random r = new Random(1);
        float[] values = new float[ROWS * cols];
        for (int i = 0; i < values.length; i++) values[i] = (float) r.nextGaussian();
        this.w = PackedF32Tensor.pack(F32Tensor.of(arena, values, ROWS, cols), arena, pool);
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
        for (int p = 0; p < passes; p++) best = Math.max(best, flopRate(pool, w, x, n, out, 20_000_000L));
        if (Float.isNaN(out[0])) throw new IllegalStateException("unreachable");
        return best;
    }

    /** FLOP/s of {@code W x} ({@code n} activation rows) called back to back for at least {@code nanos} ns. */
    public static double flopRate(Parallel pool, WeightMatrix w, float[] x, int n, float[] out, long nanos) {
        int calls = 0;
        long t0 = System.nanoTime(), elapsed;
        do {
            MatMul.run(pool, w, x, n, out);
            calls++;
            elapsed = System.nanoTime() - t0;
        } while (elapsed < nanos);
        return 2.0 * n * w.rows() * w.cols() * calls / (elapsed / 1e9);
    }

    /**
     * The FMA rate of the pool's threads with no memory traffic at all: 12 independent chains of vector
     * FMAs in registers per thread (enough to cover the FMA latency on every x86 core we know), best
     * FLOP/s of {@code passes} passes. What no kernel can beat; {@link #measure} shows how close the GEMM gets.
     */
    public double fmaRate(int passes) {
        long iterations = 2_000_000;
        double[] sink = new double[pool.threads()];
        double best = 0;
        for (int p = 0; p < passes + 1; p++) { // the first pass warms the JIT up
            long t0 = System.nanoTime();
            pool.forEach(pool.threads(), (t, worker) -> sink[t] += fmaChains(iterations));
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (p > 0) best = Math.max(best, 2.0 * 12 * F.length() * iterations * pool.threads() / seconds);
        }
        if (Double.isNaN(sink[0])) throw new IllegalStateException("unreachable");
        return best;
    }

    private static float fmaChains(long iterations) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f), v = FloatVector.broadcast(F, 1e-7f);
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(m, v); a1 = a1.fma(m, v); a2 = a2.fma(m, v); a3 = a3.fma(m, v);
            a4 = a4.fma(m, v); a5 = a5.fma(m, v); a6 = a6.fma(m, v); a7 = a7.fma(m, v);
            a8 = a8.fma(m, v); a9 = a9.fma(m, v); a10 = a10.fma(m, v); a11 = a11.fma(m, v);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void close() {
        arena.close();
    }
}
