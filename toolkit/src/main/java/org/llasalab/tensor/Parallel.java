package org.llasalab.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A small persistent pool that runs numbered tasks on all its threads (the caller is worker 0).
 * Tasks are handed out dynamically, so a slow core does not hold the others back. Each worker owns
 * a scratch array that kernels may use without allocating.
 * <p>
 * A decode step hands the pool about 80 small jobs in a row (a few hundred microseconds each). Between
 * two of them the workers spin for up to {@value #SPIN_NANOS} ns before they park, and the caller spins
 * the same while it waits for the last worker: waking a parked thread costs tens to hundreds of
 * microseconds (more in a virtual machine, where an idle virtual CPU halts), which an executor paid on
 * every job. After the spin a worker parks, so an idle pool costs nothing.
 */
public final class Parallel implements AutoCloseable {
    /** Body of a parallel loop: runs task {@code task} on worker {@code worker} (0..threads-1). */
    @FunctionalInterface
    public interface Task {
        void run(int task, int worker);
    }

    /** How long a worker (or the caller) spins for the next job (or the end of this one) before it parks. */
    static final long SPIN_NANOS = 200_000;

    /** One call of {@link #forEach}: its tasks, the next task to hand out, the workers still at it. */
    private record Job(int tasks, Task body, AtomicInteger next, AtomicInteger running,
            AtomicReference<Throwable> failure) {}

    private final int threads;
    private final Thread[] workers; // workers[0] is unused: the caller is worker 0
    private final float[][] scratch;
    private volatile Job job;
    private volatile long generation;
    private final boolean[] parkedFlags;
    private volatile boolean closed;
    private volatile Thread waiter;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        this.threads = threads;
        this.scratch = new float[threads][];
        this.parkedFlags = new boolean[threads];
        this.workers = new Thread[threads];
        for (int w = 1; w < threads; w++) {
            int worker = w;
            Thread t = new Thread(() -> work(worker), "llasa-compute-" + w);
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

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
        if (closed) throw new IllegalStateException("pool is closed");
        if (Math.min(threads, tasks) == 1) {
            for (int t = 0; t < tasks; t++) body.run(t, 0);
            return;
        }
        Job j = new Job(tasks, body, new AtomicInteger(), new AtomicInteger(threads - 1), new AtomicReference<>());
        job = j;
        generation++; // publishes the job
        for (int w = 1; w < threads; w++) {
            if (parked(w)) LockSupport.unpark(workers[w]);
        }
        drain(j, 0);
        // wait for the workers: spin, then park until the last one unparks us
        long deadline = System.nanoTime() + SPIN_NANOS;
        while (j.running().get() > 0) {
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
            } else {
                waiter = Thread.currentThread();
                if (j.running().get() > 0) LockSupport.parkNanos(this, 1_000_000);
                waiter = null;
            }
        }
        Throwable failure = j.failure().get();
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException(failure);
    }

    private static void drain(Job j, int worker) {
        try {
            for (int t = j.next().getAndIncrement(); t < j.tasks(); t = j.next().getAndIncrement()) j.body().run(t, worker);
        } catch (Throwable e) {
            j.failure().compareAndSet(null, e);
            j.next().set(j.tasks()); // the others stop handing out tasks
        }
    }

    private void work(int worker) {
        long seen = 0;
        while (!closed) {
            long g = generation;
            if (g == seen) {
                long deadline = System.nanoTime() + SPIN_NANOS;
                while (generation == seen && !closed && System.nanoTime() < deadline) Thread.onSpinWait();
                if (generation == seen && !closed) {
                    setParked(worker, true);
                    // re-read after announcing: a caller that missed the flag has published a new generation
                    if (generation == seen && !closed) LockSupport.park(this);
                    setParked(worker, false);
                }
                continue;
            }
            seen = g;
            Job j = job;
            drain(j, worker);
            if (j.running().decrementAndGet() == 0) {
                Thread t = waiter;
                if (t != null) LockSupport.unpark(t);
            }
        }
    }

    private static final java.lang.invoke.VarHandle FLAGS = java.lang.invoke.MethodHandles.arrayElementVarHandle(boolean[].class);

    private boolean parked(int worker) {
        return (boolean) FLAGS.getVolatile(parkedFlags, worker);
    }

    private void setParked(int worker, boolean value) {
        FLAGS.setVolatile(parkedFlags, worker, value);
    }

    @Override
    public void close() {
        closed = true;
        for (int w = 1; w < threads; w++) LockSupport.unpark(workers[w]);
    }
}
