package org.llasalab.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits long texts the way the Llasa paper does for long utterances: a text of more than 100
 * characters becomes 2 chunks, more than 200 characters 3 chunks, and so on. Cuts fall near equal
 * shares of the text, preferring a sentence end, then a clause boundary (comma, semicolon, colon,
 * dash), then any word boundary (a space, or between two CJK characters); never inside a word. Also
 * joins the chunks' audio with a short linear cross-fade.
 */
public final class TextChunker {
    /** Characters per chunk in the paper's rule. */
    public static final int CHARS_PER_CHUNK = 100;
    /** Default cross-fade between chunks: 10 ms. */
    public static final double CROSS_FADE_SECONDS = 0.010;

    private static final String SENTENCE_END = ".!?。！？…";
    private static final String CLAUSE_END = ",;:，；：、—–";

    private TextChunker() {}

    /** The paper's rule: 1 chunk up to 100 characters, 2 up to 200, 3 up to 300, ... */
    public static int chunkCount(int characters) {
        return Math.max(1, (characters + CHARS_PER_CHUNK - 1) / CHARS_PER_CHUNK);
    }

    /** {@code text} (trimmed) in {@link #chunkCount} chunks, or fewer when it has too few word boundaries. */
    public static List<String> split(String text) {
        String t = text.strip();
        return split(t, chunkCount(t.codePointCount(0, t.length())));
    }

    public static List<String> split(String text, int chunks) {
        String t = text.strip();
        if (chunks <= 1 || t.isEmpty()) return List.of(t);
        int[] cps = t.codePoints().toArray();
        int n = cps.length;
        int[] tier = new int[n + 1]; // tier of a cut before index i: 0 sentence, 1 clause, 2 word, 3 none
        for (int i = 0; i <= n; i++) tier[i] = cutTier(cps, i);
        List<Integer> cuts = new ArrayList<>();
        int previous = 0;
        double window = n / (2.0 * chunks);
        for (int c = 1; c < chunks; c++) {
            double target = (double) c * n / chunks;
            int best = -1;
            for (int wanted = 0; wanted <= 2 && best < 0; wanted++) {
                double reach = wanted == 2 ? n : window; // a word boundary anywhere beats cutting a word
                double bestDistance = Double.MAX_VALUE;
                for (int i = previous + 1; i < n; i++) {
                    if (tier[i] != wanted) continue;
                    double d = Math.abs(i - target);
                    if (d <= reach && d < bestDistance) {
                        bestDistance = d;
                        best = i;
                    }
                }
            }
            if (best < 0) break;
            cuts.add(best);
            previous = best;
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        cuts.add(n);
        for (int cut : cuts) {
            String piece = new String(cps, start, cut - start).strip();
            if (!piece.isEmpty()) out.add(piece);
            start = cut;
        }
        return out;
    }

    /** Tier of a cut between cps[i-1] and cps[i]: the character before the cut ends a sentence/clause/word. */
    private static int cutTier(int[] cps, int i) {
        if (i <= 0 || i >= cps.length) return 3;
        int before = cps[i - 1];
        int after = cps[i];
        boolean spaceAfter = Character.isWhitespace(after);
        if (Character.isWhitespace(before)) return 3; // cut before the space's run ends: use the first space
        if (SENTENCE_END.indexOf(before) >= 0 && (spaceAfter || isCjk(after) || isCjkPunct(before))) return 0;
        if (CLAUSE_END.indexOf(before) >= 0 && (spaceAfter || isCjk(after) || isCjkPunct(before))) return 1;
        if (spaceAfter || (isCjk(before) && isCjk(after))) return 2;
        return 3;
    }

    private static boolean isCjk(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA;
    }

    private static boolean isCjkPunct(int cp) {
        return cp >= 0x3000 && cp <= 0x303F || cp >= 0xFF00 && cp <= 0xFFEF;
    }

    /**
     * Concatenates audio segments, overlapping each join by {@code fadeSamples} (or the shorter
     * segment's length) with a linear cross-fade: the result is sum(lengths) - sum(overlaps) long.
     */
    public static float[] crossFade(List<float[]> parts, int fadeSamples) {
        if (fadeSamples < 0) throw new IllegalArgumentException("negative cross-fade: " + fadeSamples);
        float[] out = new float[0];
        for (float[] part : parts) {
            if (out.length == 0) {
                out = part.clone();
                continue;
            }
            int overlap = Math.min(fadeSamples, Math.min(out.length, part.length));
            float[] joined = java.util.Arrays.copyOf(out, out.length + part.length - overlap);
            int base = out.length - overlap;
            for (int i = 0; i < overlap; i++) {
                float w = (i + 1f) / (overlap + 1f); // weight of the incoming segment
                joined[base + i] = out[base + i] * (1 - w) + part[i] * w;
            }
            System.arraycopy(part, overlap, joined, out.length, part.length - overlap);
            out = joined;
        }
        return out;
    }
}
