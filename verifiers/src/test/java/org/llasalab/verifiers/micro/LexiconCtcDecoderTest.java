package org.llasalab.verifiers.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lexicon-constrained CTC beam search on hand-made posteriors. */
class LexiconCtcDecoderTest {
    private static final PhonemeSymbols SYMBOLS = new PhonemeSymbols(List.of(CtcAsrModel.BLANK, "k", "a", "t", "d", "O", "g", "|", "s"));
    private static final Map<String, List<String>> LEXICON = Map.of(
            "cat", List.of("k", "'", "a", "t"),
            "cats", List.of("k", "'", "a", "t", "s"),
            "dog", List.of("d", "'", "O", "g"),
            "a", List.of("'", "a"));

    /** Posteriors from a frame-level path: each frame puts {@code p} on its symbol, the rest spread evenly. */
    private static float[][] posteriors(double p, String... frames) {
        float[][] lp = new float[frames.length][SYMBOLS.size()];
        for (int t = 0; t < frames.length; t++) {
            int id = frames[t].equals("_") ? 0 : SYMBOLS.id(frames[t]);
            for (int k = 0; k < SYMBOLS.size(); k++) {
                lp[t][k] = (float) Math.log(k == id ? p : (1 - p) / (SYMBOLS.size() - 1));
            }
        }
        return lp;
    }

    private static LexiconCtcDecoder decoder(Map<String, Long> counts) {
        return new LexiconCtcDecoder(SYMBOLS, LEXICON, WordLm.unigram(counts, LEXICON.size()), 8, 0.0, 0.0);
    }

    @Test
    void findsTheWordSequence() {
        float[][] lp = posteriors(0.9, "_", "k", "k", "a", "_", "t", "|", "_", "d", "O", "O", "g", "_");
        assertEquals("cat dog", decoder(Map.of()).decode(lp));
    }

    @Test
    void wordsMayFollowWithoutABoundarySymbol() {
        float[][] lp = posteriors(0.9, "k", "a", "t", "_", "d", "O", "g");
        assertEquals("cat dog", decoder(Map.of()).decode(lp));
    }

    @Test
    void prefersKnownWordsOverTheGreedyPath() {
        // Greedy reading: "k a O g" (no such word); the constrained search must pick a lexicon word.
        float[][] lp = posteriors(0.6, "k", "a", "t", "_");
        lp[2] = mix(0.45, "t", 0.5, "O"); // 'O' is likelier here, but "kaO..." is not a word
        assertEquals("cat", decoder(Map.of()).decode(lp));
    }

    @Test
    void repeatedSymbolsNeedABlank() {
        // "a" "a" without a blank collapses to one 'a': only one word "a"; with a blank, two.
        assertEquals("a", decoder(Map.of()).decode(posteriors(0.9, "a", "a")));
        assertEquals("a a", decoder(Map.of()).decode(posteriors(0.9, "a", "_", "a")));
    }

    @Test
    void longerWordWinsWhenItsPhonemeIsThere() {
        assertEquals("cats", decoder(Map.of()).decode(posteriors(0.9, "k", "a", "t", "s")));
    }

    @Test
    void homophonesDecodeToTheMoreFrequentWord() {
        Map<String, List<String>> lexicon = Map.of("dog", List.of("d", "O", "g"), "dogg", List.of("d", "O", "g"));
        float[][] lp = posteriors(0.9, "d", "O", "g");
        assertEquals("dog", new LexiconCtcDecoder(SYMBOLS, lexicon, WordLm.unigram(Map.of(), 2), 4, 0, 0).decode(lp));
        assertEquals("dogg", new LexiconCtcDecoder(SYMBOLS, lexicon, WordLm.unigram(Map.of("dogg", 5L, "dog", 1L), 2), 4, 0, 0).decode(lp));
    }

    @Test
    void bigramContextChoosesTheHomophone() {
        Map<String, List<String>> lexicon = Map.of("cat", List.of("k", "a", "t"), "dog", List.of("d", "O", "g"),
                "dogg", List.of("d", "O", "g"));
        WordLm lm = WordLm.fromTranscripts(List.of("cat dogg", "cat dogg", "dog", "dog", "dog"), 3);
        float[][] lp = posteriors(0.9, "k", "a", "t", "|", "d", "O", "g");
        assertEquals("cat dogg", new LexiconCtcDecoder(SYMBOLS, lexicon, lm, 8, 0, 0).decode(lp));
        assertEquals("dog", new LexiconCtcDecoder(SYMBOLS, lexicon, lm, 8, 0, 0).decode(posteriors(0.9, "d", "O", "g")));
    }

    @Test
    void languageModelWeightCanOverrideWeakAcoustics() {
        // Acoustics slightly favour "cat a" over "cats"; a strong language model that has only seen "cats" flips it.
        Map<String, List<String>> lexicon = Map.of("cat", List.of("k", "a", "t"), "cats", List.of("k", "a", "t", "s"), "a", List.of("a"));
        WordLm lm = WordLm.fromTranscripts(List.of("cats", "cats", "cats"), 3);
        float[][] lp = posteriors(0.9, "k", "a", "t", "_", "a");
        lp[4] = mix(0.5, "a", 0.45, "s");
        assertEquals("cat a", new LexiconCtcDecoder(SYMBOLS, lexicon, lm, 8, 0, 0).decode(lp));
        assertEquals("cats", new LexiconCtcDecoder(SYMBOLS, lexicon, lm, 8, 2.0, 0).decode(lp));
    }

    @Test
    void aLastWordCutShortLosesOnlyItself() {
        // The audio stops inside "dog": with a beam of one, every surviving hypothesis ends inside a word.
        float[][] lp = posteriors(0.9, "k", "a", "t", "|", "d", "O");
        assertEquals("cat", new LexiconCtcDecoder(SYMBOLS, LEXICON, WordLm.unigram(Map.of(), LEXICON.size()), 1, 0, 0)
                .decode(lp));
        // a hypothesis that ends on a word still wins over one cut inside a word
        assertEquals("cat dog", decoder(Map.of()).decode(posteriors(0.9, "k", "a", "t", "|", "d", "O", "g")));
    }

    private static float[] mix(double p1, String s1, double p2, String s2) {
        float[] row = new float[SYMBOLS.size()];
        double rest = (1 - p1 - p2) / (SYMBOLS.size() - 2);
        List<Integer> ids = new ArrayList<>(List.of(SYMBOLS.id(s1), SYMBOLS.id(s2)));
        for (int k = 0; k < row.length; k++) {
            row[k] = (float) Math.log(k == ids.get(0) ? p1 : k == ids.get(1) ? p2 : rest);
        }
        return row;
    }
}
