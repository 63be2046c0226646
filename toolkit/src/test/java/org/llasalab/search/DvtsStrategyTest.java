package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DvtsStrategyTest {
    private static final Map<String, Object> PARAMS = Map.of("n", 8, "beam_width", 2, "chunk_tokens", 5, "max_tokens", 30);

    @Test
    void returnsTheBestFinishedLeafEvenWhenAnUnfinishedOneScoresHigher() {
        // a length verifier always prefers the longest audio, so cut-off leaves at max_tokens outscore
        // every finished one: the reference implementation would return an unfinished leaf
        int mixed = 0;
        for (long seed = 0; seed < 8; seed++) {
            TestVerifier v = TestVerifier.length();
            SearchOutcome o = Fixtures.one("dvts", PARAMS, BigramLm.typical(), Guides.of(v), seed);
            boolean anyFinished = o.candidates().stream().anyMatch(ScoredCandidate::finished);
            boolean unfinishedBetter = o.candidates().stream().anyMatch(c -> !c.finished()
                    && c.score("length") > o.chosen().score("length"));
            if (anyFinished) {
                assertTrue(o.chosen().finished(), "seed " + seed);
                double best = o.candidates().stream().filter(ScoredCandidate::finished)
                        .mapToDouble(c -> c.score("length")).max().orElseThrow();
                assertEquals(best, o.chosen().score("length"));
            }
            if (anyFinished && unfinishedBetter) mixed++;
        }
        assertTrue(mixed > 0, "no seed had both finished and better unfinished leaves: the test would prove nothing");
    }

    @Test
    void runsNOverBeamWidthIndependentSubtrees() {
        BigramLm lm = BigramLm.typical();
        TestVerifier v = TestVerifier.meanLevel();
        SearchOutcome o = Fixtures.one("dvts", PARAMS, lm, Guides.of(v), 4);
        BigramLm.Batch batch = lm.lastBatch();
        assertEquals(1, batch.prefillCalls);
        assertEquals(Fixtures.PROMPT.length, o.ledger().prefillTokens());
        assertEquals(8, v.callSizes.get(0), "4 subtrees x 2 continuations");
        for (int size : v.callSizes) assertTrue(size % 2 == 0 && size <= 8, "size " + size);
        for (int i = 1; i < v.callSizes.size(); i++) assertTrue(v.callSizes.get(i) <= v.callSizes.get(i - 1));
        assertTrue(batch.maxLive <= 8);
        assertTrue(batch.seqs.isEmpty());
    }

    @Test
    void fallsBackToAFlaggedUnfinishedLeafWhenNothingFinished() {
        SearchOutcome o = Fixtures.one("dvts", PARAMS, Fixtures.neverEnds(), Guides.of(TestVerifier.meanLevel()), 4);
        assertFalse(o.finished());
        assertEquals(4, o.candidates().size(), "one leaf per subtree");
        assertEquals(30, o.chosen().tokens());
    }
}
