package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestBatchingTest {
    private static final List<SearchRequest> REQUESTS =
            List.of(Fixtures.request("a", 1), Fixtures.request("b", 2), Fixtures.request("c", 3));

    private static List<SearchOutcome> run(String type, int batchRequests, BigramLm lm) {
        Map<String, Object> p = type.equals("best_of_n")
                ? Map.of("n", 4, "budgets", List.of(2), "max_tokens", 50, "batch_requests", batchRequests)
                : Map.of("max_tokens", 50, "batch_requests", batchRequests);
        return SearchStrategies.create(type, p).search(REQUESTS, Fixtures.models(lm), Guides.of(TestVerifier.meanLevel()));
    }

    @Test
    void requestsSharingABatchGetTheSameResultsAndTheirOwnLedgers() {
        for (String type : List.of("best_of_n", "sample", "greedy")) {
            BigramLm alone = BigramLm.typical();
            BigramLm shared = BigramLm.typical();
            List<SearchOutcome> one = run(type, 1, alone);
            List<SearchOutcome> three = run(type, 3, shared);
            assertEquals(3, alone.batches.size());
            assertEquals(1, shared.batches.size());
            int n = one.get(0).candidates().size();
            assertEquals(3 * n, shared.lastBatch().stepSizes.get(0), type + ": all requests step together");
            long decode = 0;
            for (int q = 0; q < 3; q++) {
                SearchOutcome x = one.get(q), y = three.get(q);
                assertEquals(x.requestId(), y.requestId());
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(x.candidates().get(i).codes(), y.candidates().get(i).codes(), type);
                }
                assertEquals(x.chosen().index(), y.chosen().index());
                assertEquals(x.ledger().prefillTokens(), y.ledger().prefillTokens());
                assertEquals(x.ledger().decodeTokens(), y.ledger().decodeTokens());
                assertEquals(x.ledger().lmFlops(), y.ledger().lmFlops(), 1e-6);
                assertEquals(x.ledger().verifierCalls(), y.ledger().verifierCalls());
                assertEquals(x.ledger().codecSeconds(), y.ledger().codecSeconds(), 1e-12);
                if (type.equals("best_of_n")) assertEquals(x.budget(2).ledger().decodeTokens(), y.budget(2).ledger().decodeTokens());
                decode += y.ledger().decodeTokens();
            }
            assertEquals(shared.lastBatch().decodeTokens, decode);
        }
    }
}
