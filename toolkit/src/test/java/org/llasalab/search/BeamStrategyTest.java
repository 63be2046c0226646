package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BeamStrategyTest {
    private static final int HOP = 320;
    private static final Map<String, Object> PARAMS =
            Map.of("beam_width", 2, "expand", 3, "chunk_tokens", 5, "max_tokens", 80);

    @Test
    void keepsBeamWidthBeamsAndForksInsteadOfRecomputing() {
        BigramLm lm = BigramLm.typical();
        TestVerifier v = TestVerifier.meanLevel();
        SearchOutcome o = Fixtures.one("beam", PARAMS, lm, Guides.of(v), 3);
        BigramLm.Batch batch = lm.lastBatch();

        assertEquals(1, batch.prefillCalls, "one prefill; every continuation is a fork");
        assertTrue(batch.forks > 6);
        assertEquals(Fixtures.PROMPT.length, o.ledger().prefillTokens());
        assertEquals(batch.decodeTokens, o.ledger().decodeTokens());
        assertTrue(batch.maxLive <= 6);
        assertEquals(6, v.callSizes.get(0), "first step: beam_width x expand continuations of the prompt");
        for (int size : v.callSizes.subList(1, v.callSizes.size())) {
            assertTrue(size % 3 == 0 && size <= 6, "later steps: expand continuations of at most beam_width beams: " + size);
        }
        assertTrue(v.callSizes.size() >= 2);
        // each step scores the partial audio so far: unfinished continuations hold exactly step x chunk tokens
        int index = 0;
        for (int step = 0; step < v.callSizes.size(); step++) {
            for (int j = 0; j < v.callSizes.get(step); j++) {
                assertTrue(v.seenLengths.get(index++) <= (step + 1) * 5 * HOP);
            }
        }
        assertEquals(v.seenLengths.size(), o.ledger().verifierCalls());
        assertTrue(o.chosen().finished());
        double bestFinished = o.candidates().stream().filter(ScoredCandidate::finished)
                .mapToDouble(c -> c.score("level")).max().orElseThrow();
        assertEquals(bestFinished, o.chosen().score("level"));
        assertEquals(TestVerifier.mean(o.chosen().audio()), o.chosen().score("level"), 1e-9);
        assertTrue(batch.seqs.isEmpty(), "every sequence freed");
    }

    @Test
    void finishedSequencesAreSetAsideAndTheFinalPickUsesThePickVerifier() {
        TestVerifier step = TestVerifier.meanLevel();
        TestVerifier pick = TestVerifier.length();
        pick.log = step.log;
        SearchOutcome o = Fixtures.one("beam", PARAMS, BigramLm.typical(), Guides.of(step, pick), 3);
        List<ScoredCandidate> finished = o.candidates().stream().filter(ScoredCandidate::finished).toList();
        assertTrue(finished.size() >= 2);
        for (ScoredCandidate c : o.candidates()) {
            assertEquals(c.audio().length, c.score("length"));
            assertTrue(c.scores().containsKey("level"));
        }
        double longest = finished.stream().mapToDouble(c -> c.score("length")).max().orElseThrow();
        assertEquals(longest, o.chosen().score("length"));
        assertEquals("length", step.log.get(step.log.size() - 1));
        assertEquals(1, pick.calls, "the pick verifier judges the complete candidates once, at the end");
    }

    @Test
    void stopsAtMaxTokensAndFlagsAnUnfinishedPick() {
        BigramLm lm = Fixtures.neverEnds();
        TestVerifier v = TestVerifier.meanLevel();
        SearchOutcome o = Fixtures.one("beam", Map.of("beam_width", 2, "expand", 2, "chunk_tokens", 5, "max_tokens", 23),
                lm, Guides.of(v), 3);
        assertFalse(o.finished());
        assertEquals(2, o.candidates().size());
        for (ScoredCandidate c : o.candidates()) {
            assertFalse(c.finished());
            assertEquals(23, c.tokens());
            assertEquals(23, c.codes().length);
        }
        assertEquals(List.of(4, 4, 4, 4, 4), v.callSizes);
        assertEquals(23 * HOP, v.seenLengths.get(v.seenLengths.size() - 1));
        double best = o.candidates().stream().mapToDouble(c -> c.score("level")).max().orElseThrow();
        assertEquals(best, o.chosen().score("level"));
    }

    @Test
    void isDeterministicForASeed() {
        int[] a = Fixtures.one("beam", PARAMS, BigramLm.typical(), Guides.of(TestVerifier.meanLevel()), 11).chosen().codes();
        int[] b = Fixtures.one("beam", PARAMS, BigramLm.typical(), Guides.of(TestVerifier.meanLevel()), 11).chosen().codes();
        int[] c = Fixtures.one("beam", PARAMS, BigramLm.typical(), Guides.of(TestVerifier.meanLevel()), 12).chosen().codes();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void beamSearchBeatsPlainSamplingOnItsOwnVerifier() {
        double beam = 0, sample = 0;
        for (long seed = 0; seed < 6; seed++) {
            beam += Fixtures.one("beam", PARAMS, BigramLm.typical(), Guides.of(TestVerifier.meanLevel()), seed)
                    .chosen().score("level");
            sample += Fixtures.one("sample", Map.of("max_tokens", 80), BigramLm.typical(),
                    Guides.of(TestVerifier.meanLevel()), seed).chosen().score("level");
        }
        assertTrue(beam > sample, "beam " + beam + " vs sample " + sample);
    }
}
