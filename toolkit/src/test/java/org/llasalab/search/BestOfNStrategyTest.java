package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llasalab.verify.Verifier;

class BestOfNStrategyTest {

    private static final Map<String, Object> PARAMS = Map.of("n", 8, "budgets", List.of(1, 2, 4), "max_tokens", 60);

    @Test
    void picksTheVerifiersBestFromOneSharedPrefill() {
        BigramLm lm = BigramLm.typical();
        TestVerifier v = TestVerifier.meanLevel();
        SearchOutcome o = Fixtures.one("best_of_n", PARAMS, lm, Guides.of(v), 42);

        assertEquals(8, o.candidates().size());
        Set<String> distinct = new HashSet<>();
        for (ScoredCandidate c : o.candidates()) {
            distinct.add(Arrays.toString(c.codes()));
            assertEquals(TestVerifier.mean(c.audio()), c.score("level"), 1e-9);
            assertArrayEquals(c.codes(), RampCodec.codesOf(c.audio()));
            assertEquals(c.codes().length + (c.finished() ? 1 : 0), c.tokens());
        }
        assertTrue(distinct.size() >= 6, "candidates should differ: " + distinct.size());
        double best = o.candidates().stream().filter(ScoredCandidate::finished)
                .mapToDouble(c -> c.score("level")).max().orElseThrow();
        assertTrue(o.chosen().finished());
        assertEquals(best, o.chosen().score("level"));

        BigramLm.Batch batch = lm.lastBatch();
        assertEquals(1, batch.prefillCalls);
        assertEquals(7, batch.forks);
        assertEquals(Fixtures.PROMPT.length, o.ledger().prefillTokens());
        assertEquals(batch.prefillTokens, o.ledger().prefillTokens());
        assertEquals(batch.decodeTokens, o.ledger().decodeTokens());
        assertEquals(8, batch.stepSizes.get(0), "all candidates advance in one batched step");
        assertEquals(8, o.ledger().verifierCalls());
        double audioSeconds = o.candidates().stream().mapToDouble(c -> c.audio().length / 16000.0).sum();
        assertEquals(audioSeconds, o.ledger().codecSeconds(), 1e-9);
        assertTrue(batch.closed);
    }

    @Test
    void lowerIsBetterVerifiersPickTheMinimum() {
        TestVerifier v = new TestVerifier("quiet", Verifier.Direction.LOWER_IS_BETTER, TestVerifier::mean);
        SearchOutcome o = Fixtures.one("best_of_n", PARAMS, BigramLm.typical(), Guides.of(v), 42);
        double min = o.candidates().stream().filter(ScoredCandidate::finished)
                .mapToDouble(c -> c.score("quiet")).min().orElseThrow();
        assertEquals(min, o.chosen().score("quiet"));
    }

    @Test
    void budgetsAreReadOffTheFirstKCandidatesWithOnlyTheirCompute() {
        BigramLm lm = BigramLm.typical();
        SearchOutcome o = Fixtures.one("best_of_n", PARAMS, lm, Guides.of(TestVerifier.meanLevel()), 42);
        assertEquals(List.of(1, 2, 4, 8), List.copyOf(o.budgets().keySet()));
        assertEquals(o.ledger(), o.budget(8).ledger());
        double flopsPerPromptToken = 0;
        for (int c = 1; c <= Fixtures.PROMPT.length; c++) flopsPerPromptToken += lm.flopsPerToken(c);
        for (int k : List.of(1, 2, 4)) {
            SearchOutcome b = o.budget(k);
            List<ScoredCandidate> first = o.candidates().subList(0, k);
            assertEquals(first, b.candidates());
            assertEquals(Fixtures.PROMPT.length, b.ledger().prefillTokens());
            // decode tokens: every generated token but the last (the end marker, or a token at max_tokens) is fed back
            long fed = first.stream().mapToLong(c -> c.tokens() - 1).sum();
            assertEquals(fed, b.ledger().decodeTokens());
            double flops = flopsPerPromptToken;
            for (ScoredCandidate c : first) {
                for (int t = 1; t < c.tokens(); t++) flops += lm.flopsPerToken(Fixtures.PROMPT.length + t);
            }
            assertEquals(flops, b.ledger().lmFlops(), 1e-6);
            assertEquals(k, b.ledger().verifierCalls());
            assertEquals(first.stream().mapToDouble(c -> c.audio().length / 16000.0).sum(), b.ledger().codecSeconds(), 1e-9);
            assertTrue(b.ledger().wallSeconds() <= o.ledger().wallSeconds());
            assertSame(Judge.pick(first, TestVerifier.meanLevel()).index(), b.chosen().index());
        }
    }

    @Test
    void candidateIOfALargerRunIsCandidateIOfASmallerRun() {
        SearchOutcome big = Fixtures.one("best_of_n", Map.of("n", 6, "max_tokens", 60), BigramLm.typical(),
                Guides.of(TestVerifier.meanLevel()), 5);
        SearchOutcome small = Fixtures.one("best_of_n", Map.of("n", 3, "max_tokens", 60), BigramLm.typical(),
                Guides.of(TestVerifier.meanLevel()), 5);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(big.candidates().get(i).codes(), small.candidates().get(i).codes());
        }
    }

    @Test
    void withoutPrefixReuseEachBudgetIsItsOwnRun() {
        Map<String, Object> p = Map.of("n", 4, "budgets", List.of(2), "reuse_prefixes", false, "max_tokens", 60);
        BigramLm lm = BigramLm.typical();
        SearchOutcome o = Fixtures.one("best_of_n", p, lm, Guides.of(TestVerifier.meanLevel()), 42);
        assertEquals(2, lm.batches.size());
        SearchOutcome b2 = o.budget(2);
        assertEquals(2, b2.candidates().size());
        assertFalse(Arrays.equals(b2.candidates().get(0).codes(), o.candidates().get(0).codes()));
        assertEquals(Fixtures.PROMPT.length, b2.ledger().prefillTokens());
        assertEquals(lm.batches.get(1).decodeTokens, b2.ledger().decodeTokens());
    }

    @Test
    void resultsDependOnlyOnTheSeed() {
        Map<String, Object> p = Map.of("n", 4, "max_tokens", 60);
        SearchStrategy s = SearchStrategies.create("best_of_n", p);
        Guides g = Guides.of(TestVerifier.meanLevel());
        List<SearchOutcome> together = s.search(List.of(Fixtures.request("a", 1), Fixtures.request("b", 2)),
                Fixtures.models(BigramLm.typical()), g);
        SearchOutcome alone = s.search(List.of(Fixtures.request("b", 2)), Fixtures.models(BigramLm.typical()), g).get(0);
        assertEquals("b", together.get(1).requestId());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(alone.candidates().get(i).codes(), together.get(1).candidates().get(i).codes());
        }
        assertFalse(Arrays.equals(together.get(0).candidates().get(0).codes(), together.get(1).candidates().get(0).codes()));
    }

    @Test
    void needsAPickVerifier() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Fixtures.one("best_of_n", PARAMS, BigramLm.typical(), Guides.none(), 1));
        assertTrue(e.getMessage().contains("best_of_n") && e.getMessage().contains("verifier"));
    }
}
