package org.llasalab.eval.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.llasalab.io.AtomicFiles;

/**
 * Where the time of one {@code llasa run} goes: wall and CPU seconds by component (start, loading,
 * LM, codec, verifiers, result I/O, tables and charts, and the rest), printed at the end of a run and
 * kept in the results folder ({@value #FILE}) for {@code report.md}.
 *
 * <p>Spans: {@link #enter} starts a component and pauses the one running before it, {@link #exit}
 * ends it and resumes the one before, so nested spans (an LM call inside loading) count once, for the
 * innermost component, and the components add up to the whole run. Time outside any span is
 * {@link Component#OTHER} (the search's sampling and bookkeeping). CPU is the process's CPU time while
 * a component ran (all threads: a component's worker threads and the JIT and GC they cause), so on a
 * machine shared with other work the CPU split stays meaningful when the wall split does not. Wall
 * time is exact; CPU time is sampled every {@value #SAMPLE_MILLIS} ms (reading the process's CPU time
 * costs microseconds, as much as a micro-world LM step) and charged to the component running then.
 *
 * <p>Only spans entered on the thread that made the clock count; calls from other threads pass
 * through untimed (the runner drives every component from one thread, which fans work out itself).
 */
public final class RunClock {
    /** The results folder's file with the last run's split. */
    public static final String FILE = "timing.csv";
    /**
     * Set by the launcher to its start instant (epoch milliseconds, after any build), so that the
     * start component includes the launcher and JVM start; without it the start counts from the JVM's
     * own start.
     */
    public static final String LAUNCH_ENV = "LLASA_LAUNCH_MS";

    /** The parts of a run. */
    public enum Component {
        START("start", "launcher, JVM start, reading the experiment"),
        LOAD("load", "models, codecs, verifiers and test items"),
        LM("lm", "LM prefill and decode steps"),
        CODEC("codec", "codec decode (and prompt encode)"),
        VERIFIERS("verifiers", "verifier calls (guiding and evaluating)"),
        IO("io", "reading and writing per-utterance results and audio"),
        TABLES("tables", "tables, charts, report"),
        OTHER("other", "search bookkeeping, sampling, the rest");

        final String key;
        final String what;

        Component(String key, String what) {
            this.key = key;
            this.what = what;
        }

        public String key() {
            return key;
        }
    }

    /** Wall and CPU seconds of one component. */
    public record Split(Component component, double wallSeconds, double cpuSeconds) {}

    private static final com.sun.management.OperatingSystemMXBean OS = ManagementFactory
            .getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);

    static final int SAMPLE_MILLIS = 10;
    /** The clocks the CPU sampler charges (weakly held: a clock never finished does not leak). */
    private static final Set<RunClock> SAMPLED = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));
    private static Thread sampler;

    private final Thread owner = Thread.currentThread();
    private final long[] wallNanos = new long[Component.values().length];
    private final AtomicLongArray cpuNanos = new AtomicLongArray(Component.values().length);
    private final ArrayDeque<Component> stack = new ArrayDeque<>();
    /** The component running now on the owner thread (what a CPU sample is charged to). */
    private volatile Component current = Component.OTHER;
    private long markWall;
    private volatile boolean finished;
    private long lastLoadSample = System.nanoTime() - 10_000_000_000L;
    private double loadSum;
    private int loadSamples;

    /** A clock whose start component is the time from launch until now. */
    public RunClock() {
        long nowMs = System.currentTimeMillis();
        long launched = launchMillis(System.getenv(LAUNCH_ENV), ManagementFactory.getRuntimeMXBean().getStartTime(), nowMs);
        markWall = System.nanoTime();
        wallNanos[Component.START.ordinal()] = Math.max(0, nowMs - launched) * 1_000_000L;
        cpuNanos.set(Component.START.ordinal(), sample());
        SAMPLED.add(this);
        startSampler();
    }

    /**
     * Makes a finished clock count again from now, for the next run with the same executor (its start
     * component is then zero: no launch in it); a clock still counting is left as it is.
     */
    public void reopen() {
        if (!finished) return;
        for (int i = 0; i < wallNanos.length; i++) {
            wallNanos[i] = 0;
            cpuNanos.set(i, 0);
        }
        stack.clear();
        current = Component.OTHER;
        loadSum = 0;
        loadSamples = 0;
        markWall = System.nanoTime();
        finished = false;
        SAMPLED.add(this);
    }

    /** The process's CPU time now, the part since the last sample charged to every clock's running component. */
    private static synchronized long sample() {
        long now = cpuNow();
        long delta = Math.max(0, now - lastCpu);
        lastCpu = now;
        synchronized (SAMPLED) {
            for (RunClock c : SAMPLED) {
                if (!c.finished) c.cpuNanos.addAndGet(c.current.ordinal(), delta);
            }
        }
        return now;
    }

    private static long lastCpu = cpuNow();

    private static synchronized void startSampler() {
        if (sampler != null) return;
        sampler = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                if (!SAMPLED.isEmpty()) sample();
            }
        }, "llasa-run-clock");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The launch instant: the launcher's, when given and plausible (before the JVM's start), else the JVM's. */
    static long launchMillis(String env, long jvmStartMs, long nowMs) {
        if (env != null) {
            try {
                long t = Long.parseLong(env.trim());
                if (t <= jvmStartMs && jvmStartMs - t < 3_600_000L) return t;
            } catch (NumberFormatException ignored) {
                // not ours: count from the JVM's start
            }
        }
        return Math.min(jvmStartMs, nowMs);
    }

    private static long cpuNow() {
        long t = OS.getProcessCpuTime();
        return t < 0 ? 0 : t;
    }

    /** Starts {@code c} (pausing the running component); every enter needs its {@link #exit}. */
    public void enter(Component c) {
        if (Thread.currentThread() != owner || finished) return;
        charge();
        stack.push(c);
        current = c;
    }

    /** Ends the innermost span (resuming the one it paused). */
    public void exit() {
        if (Thread.currentThread() != owner || finished || stack.isEmpty()) return;
        charge();
        stack.pop();
        current = stack.isEmpty() ? Component.OTHER : stack.peek();
    }

    /** Runs {@code body} as a span of {@code c}. */
    public <T, X extends Exception> T time(Component c, Body<T, X> body) throws X {
        enter(c);
        try {
            return body.run();
        } finally {
            exit();
        }
    }

    /** Runs {@code body} as a span of {@code c}. */
    public <X extends Exception> void run(Component c, VoidBody<X> body) throws X {
        enter(c);
        try {
            body.run();
        } finally {
            exit();
        }
    }

    /** Charges the wall time since the last mark to the running component (call before changing it). */
    private void charge() {
        long w = System.nanoTime();
        Component c = stack.isEmpty() ? Component.OTHER : stack.peek();
        wallNanos[c.ordinal()] += w - markWall;
        markWall = w;
        if (w - lastLoadSample > 5_000_000_000L) {
            lastLoadSample = w;
            double load = OS.getSystemLoadAverage();
            if (load >= 0) {
                loadSum += load;
                loadSamples++;
            }
        }
    }

    /**
     * The machine's mean 1-minute load average over the run (sampled every 5 seconds at most), or NaN
     * where the platform has none: with more than {@link Runtime#availableProcessors()} the wall split
     * is inflated by other work.
     */
    public double meanLoad() {
        return loadSamples == 0 ? Double.NaN : loadSum / loadSamples;
    }

    /** The split so far, every component in order (the running span charged up to now). */
    public List<Split> splits() {
        if (Thread.currentThread() == owner && !finished) {
            charge();
            sample();
        }
        List<Split> out = new ArrayList<>();
        for (Component c : Component.values()) {
            out.add(new Split(c, wallNanos[c.ordinal()] / 1e9, cpuNanos.get(c.ordinal()) / 1e9));
        }
        return out;
    }

    /** Stops the clock: later spans count nothing. Returns the final split. */
    public List<Split> finish() {
        List<Split> s = splits();
        finished = true;
        SAMPLED.remove(this);
        return s;
    }

    /**
     * The split as a table for a terminal or {@code report.md}: one row per component with wall and CPU
     * seconds and shares, the total last; {@code header} (e.g. the run's utterance counts) above it.
     */
    public static String format(List<Split> splits, String header) {
        double wall = splits.stream().mapToDouble(Split::wallSeconds).sum();
        double cpu = splits.stream().mapToDouble(Split::cpuSeconds).sum();
        StringBuilder b = new StringBuilder();
        if (header != null && !header.isEmpty()) b.append(header).append("\n\n");
        b.append("| component | wall s | wall % | CPU s | CPU % | what |\n|---|---|---|---|---|---|\n");
        for (Split s : splits) {
            b.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %s |%n", s.component().key,
                    s.wallSeconds(), share(s.wallSeconds(), wall), s.cpuSeconds(), share(s.cpuSeconds(), cpu),
                    s.component().what));
        }
        b.append(String.format(Locale.ROOT, "| total | %.1f | 100 | %.1f | 100 | CPU / wall = %.2f cores of %d |%n",
                wall, cpu, wall > 0 ? cpu / wall : 0, Runtime.getRuntime().availableProcessors()));
        return b.toString();
    }

    private static double share(double part, double whole) {
        return whole > 0 ? 100 * part / whole : 0;
    }

    /** Writes the split to {@code dir/}{@value #FILE} (component, wall and CPU seconds; the header as a comment). */
    public static void write(Path dir, List<Split> splits, String header) throws IOException {
        StringBuilder b = new StringBuilder();
        if (header != null) for (String line : header.split("\n")) b.append("# ").append(line).append('\n');
        b.append("component,wall_s,cpu_s\n");
        for (Split s : splits) {
            b.append(String.format(Locale.ROOT, "%s,%.3f,%.3f%n", s.component().key, s.wallSeconds(), s.cpuSeconds()));
        }
        AtomicFiles.write(dir.resolve(FILE), b.toString());
    }

    /**
     * The split and header kept in {@code dir}, as {@link #format} renders them; null when the folder
     * has none or it does not parse (a report never fails for want of a timing).
     */
    public static String readFormatted(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) return null;
        try {
            StringBuilder header = new StringBuilder();
            Map<Component, Split> byKey = new EnumMap<>(Component.class);
            boolean sawHeaderRow = false;
            for (String line : Files.readAllLines(f)) {
                if (line.startsWith("# ")) {
                    header.append(header.isEmpty() ? "" : "\n").append(line.substring(2));
                } else if (!sawHeaderRow) {
                    sawHeaderRow = line.equals("component,wall_s,cpu_s");
                    if (!sawHeaderRow) return null;
                } else if (!line.isBlank()) {
                    String[] cols = line.split(",");
                    for (Component c : Component.values()) {
                        if (c.key.equals(cols[0])) {
                            byKey.put(c, new Split(c, Double.parseDouble(cols[1]), Double.parseDouble(cols[2])));
                        }
                    }
                }
            }
            if (byKey.isEmpty()) return null;
            return format(List.copyOf(byKey.values()), header.toString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @FunctionalInterface
    public interface Body<T, X extends Exception> {
        T run() throws X;
    }

    @FunctionalInterface
    public interface VoidBody<X extends Exception> {
        void run() throws X;
    }
}
