package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PartialPrmOrmEdgeTest {
    @Test
    void aPrmPartCoveringMaxTokensLeavesTheBeamsAsCandidates() {
        TestVerifier step = TestVerifier.meanLevel();
        TestVerifier pick = TestVerifier.length();
        SearchOutcome o = Fixtures.one("partial_prm_orm", Map.of("beam_width", 2, "expand", 2, "chunk_tokens", 5,
                "prm_tokens", 50, "orm_n", 3, "max_tokens", 12), Fixtures.neverEnds(), Guides.of(step, pick), 2);
        assertEquals(2, o.candidates().size(), "no completions beyond max_tokens");
        for (ScoredCandidate c : o.candidates()) {
            assertEquals(12, c.tokens());
            assertEquals(12 * 320, c.score("length"));
        }
        assertFalse(o.finished());
    }
}
