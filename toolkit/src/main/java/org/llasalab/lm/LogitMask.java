package org.llasalab.lm;

import java.util.Arrays;

/**
 * The ids a sampler may choose: a contiguous range {@code [from, to)} plus a few extra ids. After
 * the speech start, Llasa may only emit speech tokens and the end marker:
 * {@code LogitMask.speech(tokens)}.
 */
public final class LogitMask {
    private final int from;
    private final int to;
    private final int[] extra;

    private LogitMask(int from, int to, int[] extra) {
        if (from < 0 || to < from) throw new IllegalArgumentException("bad id range [" + from + ", " + to + ")");
        for (int e : extra) if (e < 0) throw new IllegalArgumentException("negative id " + e);
        this.from = from;
        this.to = to;
        this.extra = extra.clone();
        Arrays.sort(this.extra);
        if (to == from && extra.length == 0) throw new IllegalArgumentException("mask allows no id");
    }

    /** Ids in {@code [from, to)} and the {@code extra} ids. */
    public static LogitMask of(int from, int to, int... extra) {
        return new LogitMask(from, to, extra);
    }

    /** Speech tokens {@code [offset, offset + codebookSize)} and the end-of-speech id. */
    public static LogitMask speech(SpeechTokens t) {
        return new LogitMask(t.offset(), t.offset() + t.codebookSize(), new int[] {t.endId()});
    }

    public boolean allows(int id) {
        return (id >= from && id < to) || Arrays.binarySearch(extra, id) >= 0;
    }

    /** Smallest id any allowed token has: the start of the contiguous window covering the mask. */
    public int windowFrom() {
        int lo = to > from ? from : Integer.MAX_VALUE;
        return extra.length > 0 ? Math.min(lo, extra[0]) : lo;
    }

    /** One past the largest allowed id. */
    public int windowTo() {
        int hi = to > from ? to : 0;
        return extra.length > 0 ? Math.max(hi, extra[extra.length - 1] + 1) : hi;
    }

    /** Number of allowed ids. */
    public int size() {
        int n = to - from;
        for (int e : extra) if (e < from || e >= to) n++;
        return n;
    }
}
