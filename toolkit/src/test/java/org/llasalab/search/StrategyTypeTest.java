package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategyTypeTest {

    @Test
    void keysComeFromTheParameterRecordInItsOrder() {
        assertEquals(List.of("beam_width", "expand", "chunk_tokens", "prm_tokens", "prm_fraction", "orm_n"),
                List.copyOf(SearchStrategies.type("partial_prm_orm").keys()));
        assertEquals(List.of("n", "budgets", "reuse_prefixes", "batch_requests"),
                List.copyOf(SearchStrategies.type("best_of_n").keys()));
        assertEquals(List.of("batch_requests"), List.copyOf(SearchStrategies.type("greedy").keys()));
        for (String name : SearchStrategies.types()) {
            StrategyType<?> t = SearchStrategies.type(name);
            assertEquals(t.params(), t.defaults().getClass(), name);
            Map<String, Object> minimal = name.equals("partial_prm_orm") ? Map.of("prm_tokens", 20) : Map.of();
            assertEquals(name, t.create(minimal, org.llasalab.lm.SamplingParams.LLASA_DEFAULT).type());
        }
    }

    @Test
    void budgetsSetTheWidthOfTheSearchesThatHaveOne() {
        Map<String, String> budgetKeys = new java.util.LinkedHashMap<>();
        for (String name : SearchStrategies.types()) budgetKeys.put(name, SearchStrategies.type(name).budgetKey());
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("sample", null);
        expected.put("greedy", null);
        expected.put("best_of_n", "n");
        expected.put("beam", "beam_width");
        expected.put("dvts", "n");
        expected.put("partial_prm_orm", "beam_width");
        assertEquals(expected, budgetKeys);
    }

    @Test
    void defaultsAndChecksComeFromTheKeyAnnotationsAndTheRecord() {
        var d = (PartialPrmOrmStrategy.PartialPrmOrm) SearchStrategies.type("partial_prm_orm").defaults();
        assertEquals(100, d.prmTokens(), "the first of the keys it needs, at its default");
        assertEquals(0.0, d.prmFraction());
        assertEquals(4, d.ormN());
        var b = (BestOfNStrategy.BestOfN) SearchStrategies.create("best_of_n", Map.of("n", 3)).config();
        assertEquals(List.of(3), b.budgets(), "budgets default to n");
        assertTrue(b.reusePrefixes());
        var e = assertThrows(IllegalArgumentException.class,
                () -> SearchStrategies.create("partial_prm_orm", Map.of("prm_fraction", 0.0)));
        assertEquals("search strategy 'partial_prm_orm': prm_fraction must be > 0, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchStrategies.create("partial_prm_orm", Map.of("prm_fraction", -1.0)));
        assertEquals("search strategy 'partial_prm_orm': prm_fraction must be in [0.0, 1.0], got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchStrategies.create("dvts", Map.of("n", 2)));
        assertEquals("search strategy 'dvts': n (2) must be a positive multiple of beam_width (4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchStrategies.create("best_of_n", Map.of("budgets", List.of(0))));
        assertEquals("search strategy 'best_of_n': budgets entries must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SearchStrategies.create("partial_prm_orm", Map.of()));
        assertEquals("search strategy 'partial_prm_orm': needs prm_tokens or prm_fraction"
                + " (how much of the utterance the PRM guides)", e.getMessage());
    }

    /** The test declarations' one sequence (only the declaration checks matter here). */
    interface OneSequence extends StrategyConfig {
        @Override
        default long parallelSequences() {
            return 1;
        }
    }

    record NoKey(StrategyConfig.Decoding decoding, int width) implements OneSequence {}

    record NoDefault(StrategyConfig.Decoding decoding, @Key(min = 1) int width) implements OneSequence {}

    record BadDefault(StrategyConfig.Decoding decoding, @Key(dflt = "yes") boolean fast) implements OneSequence {}

    record DecodingNotFirst(@Key(dflt = "1") int width, StrategyConfig.Decoding decoding) implements OneSequence {}

    record Fine(StrategyConfig.Decoding decoding, @Key(dflt = "2", min = 1) int width) implements OneSequence {}

    @Test
    void aBadDeclarationFailsWhenTheStrategyIsDeclared() {
        for (Class<? extends StrategyConfig> bad : List.of(NoKey.class, NoDefault.class, BadDefault.class,
                DecodingNotFirst.class)) {
            assertThrows(IllegalStateException.class,
                    () -> StrategyType.of("x", "x", bad, null, c -> null), bad.getSimpleName());
        }
        var e = assertThrows(IllegalStateException.class, () -> StrategyType.of("x", "x", Fine.class, "n", c -> null));
        assertTrue(e.getMessage().contains("budget key 'n'"), e.getMessage());
        StrategyType<Fine> fine = StrategyType.of("fine", "x", Fine.class, "width", c -> null);
        assertEquals(2, fine.defaults().width());
        assertEquals(java.util.Set.of("width", "max_tokens", "sampling", "chunk_text"), fine.allowedKeys());
    }
}
