package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llasalab.verify.Candidate;

class PartialPrmOrmStrategyTest {
    private static final int HOP = 320;

    @Test
    void switchesFromTheStepVerifierToThePickVerifierAtTheBoundary() {
        TestVerifier step = TestVerifier.meanLevel();
        TestVerifier pick = new TestVerifier("wer", org.llasalab.verify.Verifier.Direction.LOWER_IS_BETTER,
                a -> 1 - TestVerifier.mean(a));
        pick.log = step.log;
        Map<String, Object> p = Map.of("beam_width", 2, "expand", 2, "chunk_tokens", 4, "prm_tokens", 10,
                "orm_n", 3, "max_tokens", 60);
        SearchOutcome o = Fixtures.one("partial_prm_orm", p, BigramLm.typical(), Guides.of(step, pick), 9);

        for (int len : step.seenLengths) assertTrue(len <= 10 * HOP, "step verifier saw past the boundary: " + len);
        assertEquals(10 * HOP, step.seenLengths.stream().mapToInt(Integer::intValue).max().orElseThrow());
        int firstPick = step.log.indexOf("wer");
        assertTrue(firstPick > 0);
        assertTrue(step.log.subList(firstPick, step.log.size()).stream().allMatch("wer"::equals),
                "after the boundary only the pick verifier is used: " + step.log);
        for (ScoredCandidate c : o.candidates()) {
            assertTrue(c.finished() || c.tokens() == 60, "only complete candidates are picked from");
            assertEquals(1 - TestVerifier.mean(c.audio()), c.score("wer"), 1e-9);
        }
        long prmFinished = o.candidates().stream().filter(c -> c.tokens() <= 10).count();
        long survivors = (o.candidates().size() - prmFinished) / 3;
        assertEquals(o.candidates().size(), prmFinished + 3 * survivors);
        assertTrue(survivors >= 1 && survivors <= 2);
        double best = o.candidates().stream().filter(ScoredCandidate::finished)
                .mapToDouble(c -> c.score("wer")).min().orElseThrow();
        assertEquals(best, o.chosen().score("wer"));
        assertEquals(Fixtures.PROMPT.length, o.ledger().prefillTokens());
    }

    @Test
    void prmFractionOfTheExpectedLengthSetsTheBoundary() {
        TestVerifier step = TestVerifier.meanLevel();
        TestVerifier pick = TestVerifier.length();
        SearchRequest r = new SearchRequest("r", Fixtures.PROMPT, Candidate.of(null, "hi"), 40, 1);
        SearchStrategies.create("partial_prm_orm", Map.of("beam_width", 2, "expand", 2, "chunk_tokens", 4,
                        "prm_fraction", 0.15, "orm_n", 2, "max_tokens", 60))
                .search(List.of(r), Fixtures.models(BigramLm.typical()), Guides.of(step, pick));
        assertEquals(6 * HOP, step.seenLengths.stream().mapToInt(Integer::intValue).max().orElseThrow());
    }
}
