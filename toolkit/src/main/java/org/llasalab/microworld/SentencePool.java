package org.llasalab.microworld;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The micro world's language: normalised English sentences of {@value #MIN_WORDS}-{@value #MAX_WORDS}
 * words whose every word is among the {@code vocabularySize} most frequent words of the pool, so that
 * each word is heard many times. Sentences are split into train / dev / test by sentence (a test
 * sentence is never in train). Deterministic for the seed.
 */
public final class SentencePool {
    public static final int MIN_WORDS = 3;
    public static final int MAX_WORDS = 12;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+|[\"()\\[\\]{};:]+");

    /** A sentence with its split and source. */
    public record Sentence(String text, String split, String source) {
        public List<String> words() {
            return List.of(text.split(" "));
        }
    }

    private final List<Sentence> sentences;
    private final List<String> vocabulary;
    private final Map<String, Integer> rawCounts;

    private SentencePool(List<Sentence> sentences, List<String> vocabulary, Map<String, Integer> rawCounts) {
        this.sentences = sentences;
        this.vocabulary = vocabulary;
        this.rawCounts = rawCounts;
    }

    /** A pool of given sentences (e.g. for tests); the vocabulary is the words they use. */
    public static SentencePool of(List<Sentence> sentences) {
        Set<String> used = new TreeSet<>();
        for (Sentence s : sentences) used.addAll(s.words());
        return new SentencePool(List.copyOf(sentences), List.copyOf(used), Map.of());
    }

    /**
     * Builds the pool from the installed sources; {@code testFraction} and {@code devFraction} of the
     * sentences (at least {@code minTest} for test) are held out.
     */
    public static SentencePool build(int vocabularySize, long seed, double devFraction, double testFraction,
            int minTest) throws IOException {
        List<String> sources = TextSources.available();
        if (sources.isEmpty()) {
            throw new IOException("no text sources installed: apt-get install wordnet-base fortunes fortunes-min dict-gcide");
        }
        Map<String, String> firstSource = new LinkedHashMap<>();   // sentence -> source
        Map<String, Integer> rawCounts = new LinkedHashMap<>();
        for (String source : sources) {
            TextSources.read(source, passage -> {
                for (String piece : SENTENCE_END.split(passage)) {
                    SpokenForm.words(piece).ifPresent(words -> {
                        if (words.size() >= MIN_WORDS && words.size() <= MAX_WORDS) {
                            String text = String.join(" ", words);
                            if (firstSource.putIfAbsent(text, source) == null) {
                                rawCounts.merge(source, 1, Integer::sum);
                            }
                        }
                    });
                }
            });
        }
        Map<String, Integer> freq = new HashMap<>();
        for (String s : firstSource.keySet()) {
            for (String w : s.split(" ")) freq.merge(w, 1, Integer::sum);
        }
        List<String> byFreq = new ArrayList<>(freq.keySet());
        byFreq.sort((a, b) -> freq.get(b).equals(freq.get(a)) ? a.compareTo(b) : freq.get(b) - freq.get(a));
        Set<String> vocab = new TreeSet<>(byFreq.subList(0, Math.min(vocabularySize, byFreq.size())));
        List<String> kept = new ArrayList<>();
        Map<String, String> sourceOf = new HashMap<>();
        for (var e : firstSource.entrySet()) {
            if (vocab.containsAll(List.of(e.getKey().split(" ")))) {
                kept.add(e.getKey());
                sourceOf.put(e.getKey(), e.getValue());
            }
        }
        Collections.sort(kept);
        Collections.shuffle(kept, new Random(seed));
        int nTest = Math.min(kept.size() / 3, Math.max(minTest, (int) Math.round(kept.size() * testFraction)));
        int nDev = (int) Math.round(kept.size() * devFraction);
        List<Sentence> out = new ArrayList<>(kept.size());
        Set<String> used = new TreeSet<>();
        for (int i = 0; i < kept.size(); i++) {
            String split = i < nTest ? "test" : i < nTest + nDev ? "dev" : "train";
            String text = kept.get(i);
            out.add(new Sentence(text, split, sourceOf.get(text)));
            used.addAll(List.of(text.split(" ")));
        }
        return new SentencePool(out, List.copyOf(used), rawCounts);
    }

    /** All sentences, in the seeded order (test first, then dev, then train). */
    public List<Sentence> sentences() {
        return sentences;
    }

    public List<Sentence> split(String split) {
        return sentences.stream().filter(s -> s.split().equals(split)).toList();
    }

    /** The words that occur in the kept sentences, sorted. */
    public List<String> vocabulary() {
        return vocabulary;
    }

    /** Unique candidate sentences per source before the vocabulary restriction. */
    public Map<String, Integer> candidatesPerSource() {
        return new TreeMap<>(rawCounts);
    }
}
