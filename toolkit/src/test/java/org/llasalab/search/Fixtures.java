package org.llasalab.search;

import java.util.List;
import java.util.Map;
import org.llasalab.verify.Candidate;

/** Shared test inputs. */
final class Fixtures {
    static final int[] PROMPT = {0, 1, 2, 3, 1};

    private Fixtures() {}

    static SearchRequest request(String id, long seed) {
        return new SearchRequest(id, PROMPT, Candidate.of(null, "hello world"), 0, seed);
    }

    static SearchModels models(BigramLm lm) {
        return new SearchModels(lm, new RampCodec(), BigramLm.SPEECH);
    }

    static SearchOutcome one(String type, Map<String, Object> params, BigramLm lm, Guides guides, long seed) {
        return SearchStrategies.create(type, params).search(List.of(request("r", seed)), models(lm), guides).get(0);
    }

    /** Ends only when the end bias wins: never (for max_tokens tests). */
    static BigramLm neverEnds() {
        return new BigramLm(7, Double.NEGATIVE_INFINITY, 0);
    }
}
