package org.llasalab.tensor;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small persistent pool that runs numbered tasks on all its threads (the caller is worker 0).
 * Tasks are handed out dynamically, so a slow core does not hold the others back. Each worker owns
 * a scratch array that kernels may use without allocating.
 */
public final class Parallel implements AutoCloseable {
    /** Body of a parallel loop: runs task {@code task} on worker {@code worker} (0..threads-1). */
    @FunctionalInterface
    public interface Task {
        void run(int task, int worker);
    }

    private final int threads;
    private final ExecutorService pool;
    private final float[][] scratch;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        this.threads = threads;
        this.scratch = new float[threads][];
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "llasa-compute");
            t.setDaemon(true);
            return t;
        });
    }

    /** A pool with one thread per available core. */
    public static Parallel ofAvailableCores() {
        return new Parallel(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /** Worker {@code worker}'s scratch of at least {@code length} floats (grown on demand; only that worker uses it). */
    public float[] scratch(int worker, int length) {
        float[] f = scratch[worker];
        if (f == null || f.length < length) {
            f = new float[Math.max(length, 1024)];
            scratch[worker] = f;
        }
        return f;
    }

    /**
     * Runs {@code body} for tasks 0..tasks-1 on all workers and waits for them. Calls from several
     * threads are serialised (the workers and their scratch are shared).
     */
    public synchronized void forEach(int tasks, Task body) {
        if (tasks <= 0) return;
        int workers = Math.min(threads, tasks);
        if (workers == 1) {
            for (int t = 0; t < tasks; t++) body.run(t, 0);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[workers - 1];
        for (int w = 1; w < workers; w++) {
            int worker = w;
            futures[w - 1] = pool.submit(() -> drain(next, tasks, body, worker));
        }
        Throwable failure = null;
        try {
            drain(next, tasks, body, 0);
        } catch (Throwable t) {
            failure = t;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = e;
            }
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException(failure);
    }

    private static void drain(AtomicInteger next, int tasks, Task body, int worker) {
        for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) body.run(t, worker);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
