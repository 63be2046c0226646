package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleStrategyTest {

    @Test
    void greedyFollowsTheArgmaxOfTheMaskedLogits() {
        BigramLm lm = BigramLm.typical();
        SearchOutcome o = Fixtures.one("greedy", Map.of("max_tokens", 40), lm, Guides.none(), 1);
        // replay: the argmax among speech tokens and the end marker at every position
        int[] tokens = Fixtures.PROMPT.clone();
        int[] expected = new int[0];
        for (int t = 0; t < 40; t++) {
            float[] l = lm.logitsFor(tokens, Fixtures.PROMPT.length);
            int best = BigramLm.END;
            for (int id = BigramLm.OFFSET; id < BigramLm.VOCAB; id++) if (l[id] > l[best]) best = id;
            if (best == BigramLm.END) break;
            expected = Arrays.copyOf(expected, expected.length + 1);
            expected[expected.length - 1] = best - BigramLm.OFFSET;
            tokens = Arrays.copyOf(tokens, tokens.length + 1);
            tokens[tokens.length - 1] = best;
        }
        assertArrayEquals(expected, o.chosen().codes());
        assertTrue(o.chosen().scores().isEmpty());
        assertEquals(0, o.ledger().verifierCalls());
        assertEquals(o.chosen().codes().length * 320, o.chosen().audio().length);
    }

    @Test
    void sampleIsReproducibleForASeedAndScoredByTheGuides() {
        TestVerifier v = TestVerifier.meanLevel();
        SearchOutcome a = Fixtures.one("sample", Map.of("max_tokens", 60), BigramLm.typical(), Guides.of(v), 8);
        SearchOutcome b = Fixtures.one("sample", Map.of("max_tokens", 60), BigramLm.typical(), Guides.of(v), 8);
        SearchOutcome c = Fixtures.one("sample", Map.of("max_tokens", 60), BigramLm.typical(), Guides.of(v), 9);
        assertArrayEquals(a.chosen().codes(), b.chosen().codes());
        assertFalse(Arrays.equals(a.chosen().codes(), c.chosen().codes()));
        assertEquals(TestVerifier.mean(a.chosen().audio()), a.chosen().score("level"), 1e-9);
        assertEquals(1, a.ledger().verifierCalls());
        assertEquals(a.chosen().audio().length / 16000.0, a.ledger().codecSeconds(), 1e-12);
        assertTrue(a.chosen().meanLogProb() < 0);
        assertTrue(a.ledger().wallSeconds() > 0);
    }

    @Test
    void aSequenceStopsAtMaxTokensUnfinished() {
        SearchOutcome o = Fixtures.one("sample", Map.of("max_tokens", 17), Fixtures.neverEnds(), Guides.none(), 8);
        assertFalse(o.finished());
        assertEquals(17, o.chosen().codes().length);
        assertEquals(16, o.ledger().decodeTokens(), "the token at max_tokens is never fed back");
    }
}
