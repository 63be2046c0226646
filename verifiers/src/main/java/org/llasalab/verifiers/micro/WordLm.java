package org.llasalab.verifiers.micro;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.io.AtomicFiles;

/**
 * A word bigram model with Witten-Bell interpolation, from counts of training transcripts:
 * <pre>
 *   P(w | v) = l_v c(v, w) / c(v) + (1 - l_v) P(w),   l_v = c(v) / (c(v) + n(v))     (n(v): distinct successors of v)
 *   P(w)     = (c(w) + 1) / (N + V)                                                  (add-one unigram over the vocabulary)
 * </pre>
 * {@code v} is {@link #START} at the start of an utterance. Without bigram counts it is the unigram model.
 */
public final class WordLm {
    public static final String START = "<s>";

    private final Map<String, Long> unigrams;
    private final Map<String, Map<String, Long>> bigrams;
    private final Map<String, Long> contextCounts = new HashMap<>();
    private final double unigramTotal;

    public WordLm(Map<String, Long> unigrams, Map<String, Map<String, Long>> bigrams, int vocabulary) {
        this.unigrams = Map.copyOf(unigrams);
        this.bigrams = bigrams;
        long n = 0;
        for (long c : unigrams.values()) n += c;
        this.unigramTotal = n + Math.max(vocabulary, unigrams.size());
        bigrams.forEach((v, next) -> contextCounts.put(v, next.values().stream().mapToLong(Long::longValue).sum()));
    }

    public static WordLm unigram(Map<String, Long> counts, int vocabulary) {
        return new WordLm(counts, Map.of(), vocabulary);
    }

    /** Counts from transcripts (words separated by spaces). */
    public static WordLm fromTranscripts(List<String> transcripts, int vocabulary) {
        Map<String, Long> uni = new HashMap<>();
        Map<String, Map<String, Long>> bi = new HashMap<>();
        for (String t : transcripts) {
            String prev = START;
            for (String w : t.trim().split("\\s+")) {
                if (w.isEmpty()) continue;
                uni.merge(w, 1L, Long::sum);
                bi.computeIfAbsent(prev, k -> new HashMap<>()).merge(w, 1L, Long::sum);
                prev = w;
            }
        }
        return new WordLm(uni, bi, vocabulary);
    }

    public double logUnigram(String w) {
        return Math.log((unigrams.getOrDefault(w, 0L) + 1) / unigramTotal);
    }

    /** log P(w | prev). */
    public double logProb(String prev, String w) {
        double uni = (unigrams.getOrDefault(w, 0L) + 1) / unigramTotal;
        Map<String, Long> next = bigrams.get(prev);
        if (next == null) return Math.log(uni);
        double cv = contextCounts.get(prev);
        double lambda = cv / (cv + next.size());
        return Math.log(lambda * next.getOrDefault(w, 0L) / cv + (1 - lambda) * uni);
    }

    public Map<String, Long> unigrams() { return unigrams; }

    public Map<String, Map<String, Long>> bigrams() { return bigrams; }

    /** Writes {@code word_counts.tsv} lines: {@code word<TAB>count} then {@code prev<TAB>word<TAB>count} (atomically). */
    public void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(unigrams).forEach((w, c) -> sb.append(w).append('\t').append(c).append('\n'));
        new java.util.TreeMap<>(bigrams).forEach((v, next) -> new java.util.TreeMap<>(next)
                .forEach((w, c) -> sb.append(v).append('\t').append(w).append('\t').append(c).append('\n')));
        AtomicFiles.write(file, sb.toString());
    }

    public static WordLm read(Path file, int vocabulary) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": missing word-count table");
        Map<String, Long> uni = new HashMap<>();
        Map<String, Map<String, Long>> bi = new HashMap<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            try {
                if (f.length == 2) uni.put(f[0], Long.parseLong(f[1].trim()));
                else if (f.length == 3) bi.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[1], Long.parseLong(f[2].trim()));
                else throw new NumberFormatException("expected word<TAB>count or prev<TAB>word<TAB>count");
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + lineNo + ": " + e.getMessage() + ": '" + line + "'");
            }
        }
        return new WordLm(uni, bi, vocabulary);
    }
}
