package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llasalab.lm.SamplingParams;

class SearchStrategiesTest {

    @Test
    void registryListsEveryStrategyAndItsKeys() {
        assertEquals(List.of("sample", "greedy", "best_of_n", "beam", "dvts", "partial_prm_orm"),
                List.copyOf(SearchStrategies.types()));
        assertEquals(Set.of("n", "budgets", "reuse_prefixes", "batch_requests", "max_tokens", "sampling", "chunk_text"),
                SearchStrategies.allowedKeys("best_of_n"));
        assertTrue(SearchStrategies.allowedKeys("partial_prm_orm").containsAll(
                Set.of("beam_width", "expand", "chunk_tokens", "prm_tokens", "prm_fraction", "orm_n")));
        for (String type : SearchStrategies.types()) {
            Map<String, Object> params = type.equals("partial_prm_orm") ? Map.of("prm_tokens", 20) : Map.of();
            SearchStrategy s = SearchStrategies.create(type, params);
            assertEquals(type, s.type());
        }
    }

    @Test
    void unknownTypeAndKeyAreNamedWithWhatIsAllowed() {
        var e = assertThrows(IllegalArgumentException.class, () -> SearchStrategies.create("beem", Map.of()));
        assertTrue(e.getMessage().contains("beem") && e.getMessage().contains("beam"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchStrategies.create("beam", Map.of("beam_widht", 4)));
        assertTrue(e.getMessage().contains("'beam_widht'"), e.getMessage());
        assertTrue(e.getMessage().contains("allowed: beam_width, chunk_text, chunk_tokens, expand, max_tokens, sampling"),
                e.getMessage());
    }

    @Test
    void wrongTypesAndRangesGiveClearMessages() {
        var e = assertThrows(IllegalArgumentException.class, () -> SearchStrategies.create("best_of_n", Map.of("n", "8")));
        assertEquals("search strategy 'best_of_n': n must be an integer, got text '8'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SearchStrategies.create("best_of_n", Map.of("n", 0)));
        assertTrue(e.getMessage().contains("n must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchStrategies.create("best_of_n", Map.of("n", 4, "budgets", List.of(1, 8))));
        assertTrue(e.getMessage().contains("budgets entries must be <= n (4), got 8"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchStrategies.create("best_of_n", Map.of("reuse_prefixes", "yes")));
        assertTrue(e.getMessage().contains("reuse_prefixes must be true or false"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SearchStrategies.create("dvts", Map.of("n", 6, "beam_width", 4)));
        assertTrue(e.getMessage().contains("multiple of beam_width"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SearchStrategies.create("partial_prm_orm", Map.of()));
        assertTrue(e.getMessage().contains("prm_tokens or prm_fraction"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchStrategies.create("sample", Map.of("sampling", Map.of("temprature", 1.0))));
        assertTrue(e.getMessage().contains("'temprature'") && e.getMessage().contains("top_p"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchStrategies.create("sample", Map.of("sampling", Map.of("top_p", 1.5))));
        assertTrue(e.getMessage().contains("top_p must be in"), e.getMessage());
    }

    @Test
    void samplingDefaultsComeFromTheExperimentAndAreOverriddenKeyByKey() {
        SamplingParams experiment = new SamplingParams(0.9, 0, 0.95, 0, 1.2);
        var beam = (BeamStrategy.Beam) SearchStrategies.create("beam",
                Map.of("beam_width", 2, "sampling", Map.of("temperature", 0.7), "max_tokens", 300), experiment).config();
        assertEquals(new SamplingParams(0.7, 0, 0.95, 0, 1.2), beam.decoding().sampling());
        assertEquals(300, beam.decoding().maxTokens());
        assertEquals(2, beam.beamWidth());
        assertEquals(4, beam.expand());
        assertEquals(50, beam.chunkTokens());
        var p = (PartialPrmOrmStrategy.PartialPrmOrm) SearchStrategies.create("partial_prm_orm",
                Map.of("prm_fraction", 0.25, "orm_n", 2)).config();
        assertEquals(25, p.prmTokensFor(100));
        assertEquals(100, p.prmTokensFor(0)); // unknown length: prm_tokens' default
    }

    /** What a dry run counts per utterance: sequences side by side, and guide scorings of each. */
    @Test
    void eachStrategySaysHowManySequencesItDecodesAndHowOftenTheyAreScored() {
        StrategyConfig sample = SearchStrategies.create("sample", Map.of("max_tokens", 120)).config();
        assertEquals(1, sample.parallelSequences());
        assertEquals(1, sample.guideScorings());
        StrategyConfig bon = SearchStrategies.create("best_of_n", Map.of("n", 6, "max_tokens", 120)).config();
        assertEquals(6, bon.parallelSequences());
        assertEquals(1, bon.guideScorings(), "outcome-level: each candidate scored once, at its end");
        StrategyConfig beam = SearchStrategies.create("beam",
                Map.of("beam_width", 4, "expand", 2, "chunk_tokens", 50, "max_tokens", 120)).config();
        assertEquals(8, beam.parallelSequences());
        assertEquals(3, beam.guideScorings(), "steps of 50 tokens in 120: 50, 50, 20");
        StrategyConfig dvts = SearchStrategies.create("dvts",
                Map.of("n", 8, "beam_width", 4, "chunk_tokens", 40, "max_tokens", 120)).config();
        assertEquals(8, dvts.parallelSequences());
        assertEquals(3, dvts.guideScorings());
        StrategyConfig prm = SearchStrategies.create("partial_prm_orm", Map.of("beam_width", 2, "expand", 3, "orm_n", 5,
                "chunk_tokens", 50, "prm_tokens", 100, "max_tokens", 120)).config();
        assertEquals(10, prm.parallelSequences(), "2 beams x max(expand 3, orm_n 5)");
        assertEquals(4, prm.guideScorings(), "3 PRM steps, then the ORM pick");
    }
}
