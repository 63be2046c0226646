package org.llasalab.eval.run;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.llasalab.eval.experiment.ExperimentException;
import org.llasalab.eval.experiment.Shard;

/**
 * Operating-system file locks that keep concurrent {@code llasa run} processes on one results folder from
 * doing the same work twice, in {@code DIR/.locks/}. The shards of one split (same N) share the folder by
 * design; everything else that would overlap is refused with a message naming the folder and the holder:
 * <ul>
 *   <li>{@code shard-I-of-N.lock} (or {@code run.lock} for a run without {@code --shard}): held exclusively
 *       for the whole run, its content says who holds it, so a second process of the same shard refuses;</li>
 *   <li>{@code sweep.lock}: every run holds a shared lock on byte N of it (N = 1 without {@code --shard})
 *       and checks that nobody holds any other byte, so runs split differently (3 shards and 4, or shards and
 *       an unsplit run) never work at once. A run that finds the whole file free is alone: it removes the
 *       temp files killed runs left behind while holding the file exclusively, so it never deletes the temp
 *       file of a live writer;</li>
 *   <li>{@code publish.lock}: held exclusively while the tables, charts and report are written
 *       ({@link #publishing}), so shards that finish at the same moment publish one after the other.</li>
 * </ul>
 * The locks vanish with the process (kill -9, a node failure), so a killed shard restarts without cleanup.
 * On a file system without locking (some NFS mounts) the run warns and goes on unprotected. Within one JVM (tests)
 * the runs of one split share the process's lock on byte N, as the operating system knows only processes.
 */
public final class RunLock implements AutoCloseable {
    static final String LOCK_DIR = ".locks";
    private static final ReentrantLock PUBLISHING_IN_THIS_JVM = new ReentrantLock();
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final List<FileChannel> channels;
    private final boolean alone;

    private RunLock(List<FileChannel> channels, boolean alone) {
        this.channels = channels;
        this.alone = alone;
    }

    /** Cleanup that only a process alone on the folder may do. */
    @FunctionalInterface
    public interface AloneTask {
        void run() throws IOException;
    }

    /**
     * Takes the locks of {@code shard} on results folder {@code dir}, running {@code whenAlone} first when no
     * other run holds the folder; throws {@link ExperimentException} naming the holder when the work overlaps
     * a run in progress.
     */
    public static RunLock acquire(Path dir, Shard shard, AloneTask whenAlone) throws IOException {
        Path locks = Files.createDirectories(dir.resolve(LOCK_DIR));
        List<FileChannel> open = new ArrayList<>();
        try {
            FileChannel sweep = channel(locks.resolve("sweep.lock"), open);
            FileLock all;
            try {
                all = tryLock(sweep, 0, Long.MAX_VALUE, false);
            } catch (IOException ex) {
                System.err.println("llasa run: warning: cannot lock " + locks + " (" + ex.getMessage()
                        + "); this file system has no file locks, so nothing stops a second run of the same shard");
                closeAll(open);
                return new RunLock(List.of(), false);
            }
            boolean alone = all != null;
            if (alone) {
                try {
                    whenAlone.run();
                } finally {
                    all.release();
                }
            }
            // shared: the shards of this split; waits while a starting run cleans up alone
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (true) {
                try {
                    if (sweep.tryLock(shard.count(), 1, true) != null) break;
                } catch (OverlappingFileLockException ex) {
                    break; // a run of this split in this very process holds it (tests run several in one JVM)
                }
                if (System.nanoTime() > deadline) throw refused(dir, "it stayed locked for a minute", locks);
                sleep();
            }
            for (long[] range : new long[][] {{0, shard.count()}, {shard.count() + 1L, Long.MAX_VALUE - shard.count() - 1}}) {
                FileLock other = tryLock(sweep, range[0], range[1], false);
                if (other == null) {
                    throw refused(dir, "another `llasa run` works on it " + (shard.isAll() ? "as shards"
                            : "split otherwise (without --shard or with another N than " + shard.count() + ")")
                            + "; both at once would run the same utterances", locks);
                }
                other.release();
            }
            Path mine = locks.resolve(shard.isAll() ? "run.lock" : "shard-" + shard.tag() + ".lock");
            FileChannel own = channel(mine, open);
            if (tryLock(own, 0, Long.MAX_VALUE, false) == null) {
                throw refused(dir, (shard.isAll() ? "it is" : "shard " + shard + " is") + " already being run by "
                        + holder(mine) + "; wait for that run or stop it", locks);
            }
            own.truncate(0);
            own.write(ByteBuffer.wrap((describeThisProcess(shard) + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            own.force(false);
            return new RunLock(open, alone);
        } catch (IOException | RuntimeException ex) {
            closeAll(open);
            throw ex;
        }
    }

    /** True when no other run held the folder as this one started (it then removed stale temp files). */
    public boolean alone() {
        return alone;
    }

    /** Releases the locks (closing a channel releases its locks). */
    @Override
    public void close() {
        closeAll(channels);
    }

    /**
     * Holds {@code DIR/.locks/publish.lock} exclusively, waiting for another process (or thread) that
     * publishes, until closed.
     */
    public static Held publishing(Path dir) throws IOException {
        Path f = Files.createDirectories(dir.resolve(LOCK_DIR)).resolve("publish.lock");
        PUBLISHING_IN_THIS_JVM.lock();
        FileChannel ch;
        try {
            ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException ex) {
            PUBLISHING_IN_THIS_JVM.unlock();
            throw ex;
        }
        try {
            ch.lock();
        } catch (IOException ex) {
            // no file locks on this file system: publishing is still serialised within this process
        } catch (RuntimeException ex) {
            closeAll(List.of(ch));
            PUBLISHING_IN_THIS_JVM.unlock();
            throw ex;
        }
        return () -> {
            closeAll(List.of(ch));
            PUBLISHING_IN_THIS_JVM.unlock();
        };
    }

    /** Who holds the lock file {@code f}, as it wrote itself there. */
    static String holder(Path f) {
        try {
            String s = Files.readString(f).strip();
            return s.isEmpty() ? "another process (it has not written its name yet)" : s;
        } catch (IOException ex) {
            return "another process";
        }
    }

    /** "pid P on HOST since TIME, shard I/N[, slurm job J]". */
    static String describeThisProcess(Shard shard) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException ex) {
            host = System.getenv().getOrDefault("HOSTNAME", "unknown host");
        }
        StringBuilder b = new StringBuilder("llasa run (pid ").append(ProcessHandle.current().pid()).append(" on ")
                .append(host).append(" since ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        if (!shard.isAll()) b.append(", shard ").append(shard);
        String array = System.getenv("SLURM_ARRAY_JOB_ID"), task = System.getenv("SLURM_ARRAY_TASK_ID");
        String job = array != null && task != null ? array + "_" + task : System.getenv("SLURM_JOB_ID");
        if (job != null) b.append(", slurm job ").append(job);
        return b.append(')').toString();
    }

    private static Refused refused(Path dir, String why, Path locks) {
        StringBuilder b = new StringBuilder(dir + ": refusing to run: " + why + ".");
        List<String> others = new ArrayList<>();
        try (var files = Files.list(locks)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("(shard-.*|run)\\.lock")).sorted().toList()) {
                if (held(f)) others.add(holder(f));
            }
        } catch (IOException ignored) {
            // the message goes out without the list
        }
        if (!others.isEmpty()) b.append(" Runs on this folder now: ").append(String.join("; ", others)).append('.');
        return new Refused(b.toString());
    }

    /** True when some process holds lock file {@code f}. */
    private static boolean held(Path f) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = tryLock(ch, 0, Long.MAX_VALUE, false);
            if (l == null) return true;
            l.release();
            return false;
        } catch (IOException ex) {
            return false;
        }
    }

    /** A lock, or null when another process, or this one through another channel, holds an overlapping one. */
    private static FileLock tryLock(FileChannel ch, long position, long size, boolean shared) throws IOException {
        try {
            return ch.tryLock(position, size, shared);
        } catch (OverlappingFileLockException ex) {
            return null; // held by this very process (another run in the same JVM)
        }
    }

    private static FileChannel channel(Path f, List<FileChannel> open) throws IOException {
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        open.add(ch);
        return ch;
    }

    private static void closeAll(List<FileChannel> channels) {
        for (FileChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing releases the lock in any case
            }
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a lock", ex);
        }
    }

    /** A lock held until closed. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** A refusal to run: the folder, why, and the runs that hold it, as the message. */
    public static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }
}
