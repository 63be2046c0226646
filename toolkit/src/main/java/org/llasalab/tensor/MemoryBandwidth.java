package org.llasalab.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures this machine's memory read bandwidth the way a decode step reads weights: a vectorized
 * sum over a buffer far larger than the caches, split across all threads of a pool, with eight
 * independent accumulators per thread.
 */
public final class MemoryBandwidth {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private MemoryBandwidth() {}

    /** Best read bandwidth in bytes per second over {@code passes} passes across {@code bytes} bytes. */
    public static double measure(Parallel pool, long bytes, int passes) {
        try (Probe p = new Probe(pool, bytes)) {
            return p.measure(passes);
        }
    }

    /** A buffer kept between measurements, so that a benchmark can interleave them with its own rounds. */
    public static final class Probe implements AutoCloseable {
        private final Parallel pool;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment buf;
        private final long chunk;
        private final float[] sink;

        public Probe(Parallel pool, long bytes) {
            this.pool = pool;
            int threads = pool.threads();
            chunk = bytes / threads / (8L * F.vectorByteSize()) * (8L * F.vectorByteSize());
            buf = HugePages.allocate(arena, chunk * threads); // the pages the weights get, so that the two compare
            sink = new float[threads];
            // first touch by the threads that will read it, then let the JIT compile the read loop
            pool.forEach(threads, (t, w) -> buf.asSlice(t * chunk, chunk).fill((byte) 1));
            long small = Math.min(chunk, 1 << 20);
            for (int i = 0; i < 300; i++) sink[0] += sum(buf, 0, small);
        }

        /** Best bandwidth in bytes per second over {@code passes} passes. */
        public double measure(int passes) {
            int threads = pool.threads();
            double best = 0;
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                pool.forEach(threads, (t, w) -> sink[t] += sum(buf, t * chunk, chunk));
                double seconds = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, chunk * threads / seconds);
            }
            if (Float.isNaN(sink[0])) throw new IllegalStateException("unreachable");
            return best;
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    private static float sum(MemorySegment s, long from, long length) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        long step = F.vectorByteSize();
        ByteOrder le = ByteOrder.LITTLE_ENDIAN;
        for (long o = from, end = from + length; o < end; o += 8 * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, s, o, le));
            a1 = a1.add(FloatVector.fromMemorySegment(F, s, o + step, le));
            a2 = a2.add(FloatVector.fromMemorySegment(F, s, o + 2 * step, le));
            a3 = a3.add(FloatVector.fromMemorySegment(F, s, o + 3 * step, le));
            a4 = a4.add(FloatVector.fromMemorySegment(F, s, o + 4 * step, le));
            a5 = a5.add(FloatVector.fromMemorySegment(F, s, o + 5 * step, le));
            a6 = a6.add(FloatVector.fromMemorySegment(F, s, o + 6 * step, le));
            a7 = a7.add(FloatVector.fromMemorySegment(F, s, o + 7 * step, le));
        }
        return Kernels.sumLanes(a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7));
    }
}
