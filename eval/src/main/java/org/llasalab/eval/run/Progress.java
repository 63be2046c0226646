package org.llasalab.eval.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.llasalab.eval.experiment.Cell;

/**
 * Progress of a run with an ETA: on a terminal one line redrawn in place, otherwise plain lines (a
 * line per cell, and per utterance at most every 10 seconds) that read well in logs. The ETA weighs what
 * remains by its {@link CostEstimate#work() estimated work}, not by its count of utterances, so that a
 * sweep whose last cells are its widest searches does not promise to end early. From the second search
 * on, the rate leaves out the first one, which carries the start-up (loading models, the JIT warming up)
 * and made the first ETA of a run several times too long.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private int total;
    private int done;
    private int ran;
    private double totalWork;
    private double workDone;
    private long lastLine;
    private String cell = "";
    private int searches;
    /** Elapsed time, work and utterances when the first search ended (the start-up is in it). */
    private long firstElapsed;
    private double firstWork;
    private int firstRan;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Progress on standard error, in place when a terminal is attached ({@code System.console()} exists
     * and, since JDK 22 returns one even for redirected streams, {@code isTerminal()}).
     */
    public static Progress console() {
        java.io.Console c = System.console();
        return new Progress(System.err, c != null && c.isTerminal());
    }

    /** Reports nothing. */
    public static Progress silent() {
        return new Progress(new PrintStream(java.io.OutputStream.nullOutputStream()), false);
    }

    /** {@code work}: the estimated work of the utterances still to run (0: ETA by utterance count). */
    void start(int totalUtterances, int alreadyDone, double work) {
        total = totalUtterances;
        done = alreadyDone;
        totalWork = work;
        out.println("llasa run: " + totalUtterances + " utterances in all, " + alreadyDone + " already finished");
    }

    void cellStarted(int index, int cells, Cell c, int pending) {
        cellStarted(index, cells, c, List.of(c), pending);
    }

    /** A budget group (or a single cell, then {@code group} is just {@code lead}) starts its pending utterances. */
    void cellStarted(int index, int cells, Cell lead, List<Cell> group, int pending) {
        if (group.size() == 1) {
            cell = "cell " + (index + 1) + "/" + cells + " " + lead.id() + " (" + lead.label() + ")";
        } else {
            cell = "cells " + group.stream().map(Cell::id).collect(Collectors.joining(", ")) + " (" + lead.model().name()
                    + " / " + lead.strategy().name() + " / budgets "
                    + group.stream().map(g -> String.valueOf(g.budget())).collect(Collectors.joining(", "))
                    + " in one search / seed " + lead.seed() + ")";
        }
        line(cell + ": " + pending + " utterances to run", true);
    }

    /** {@code utterances} results of one search were written; the search was {@code work} of the estimate. */
    void searchDone(int utterances, double work) {
        searchDone(utterances, work, System.nanoTime() - startNanos);
    }

    /** As {@link #searchDone(int, double)}, {@code elapsed} nanoseconds after the start. */
    void searchDone(int utterances, double work, long elapsed) {
        done += utterances;
        ran += utterances;
        workDone += work;
        if (searches++ == 0) {
            firstElapsed = elapsed;
            firstWork = workDone;
            firstRan = ran;
        }
        long now = System.nanoTime();
        if (terminal) {
            out.print("\r" + status() + "   ");
            out.flush();
        } else if (now - lastLine > 10_000_000_000L) {
            line(cell + ": " + status(), true);
        }
    }

    /** A line of its own (on a terminal, below the status line). */
    void note(String text) {
        line(text, true);
    }

    void cellFinished(Cell c, String outcome) {
        line("cell " + c.id() + ": " + outcome, true);
    }

    void finish() {
        if (terminal) out.println();
    }

    private String status() {
        return status(System.nanoTime() - startNanos);
    }

    /** The status line after {@code elapsed} nanoseconds. */
    String status(long elapsed) {
        String eta;
        boolean pastFirst = searches >= 2 && elapsed > firstElapsed; // rate over the searches after the first
        long span = pastFirst ? elapsed - firstElapsed : elapsed;
        if (ran == 0) {
            eta = "?";
        } else if (totalWork > 0 && workDone > 0) {
            double rateWork = pastFirst && workDone > firstWork ? workDone - firstWork : workDone;
            if (rateWork == workDone) span = elapsed;
            eta = format(Duration.ofNanos((long) (span * Math.max(0, totalWork - workDone) / rateWork)));
        } else {
            int rateRan = pastFirst && ran > firstRan ? ran - firstRan : ran;
            if (rateRan == ran) span = elapsed;
            eta = format(Duration.ofNanos(span / rateRan * (total - done)));
        }
        return done + "/" + total + " utterances (" + (total == 0 ? 100 : done * 100 / total) + "%), elapsed "
                + format(Duration.ofNanos(elapsed)) + ", ETA " + eta;
    }

    private void line(String text, boolean force) {
        if (terminal) out.print("\r\033[K");
        out.println(text);
        lastLine = System.nanoTime();
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
