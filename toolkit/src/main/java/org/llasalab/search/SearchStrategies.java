package org.llasalab.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.llasalab.lm.SamplingParams;

/**
 * The registry of search strategies, by type name: what an experiment YAML's {@code search:} block
 * names. {@link #create} validates the parameters into the strategy's typed {@link StrategyConfig}.
 */
public final class SearchStrategies {

    /** One registered strategy type: its name, description, own keys and how to build it. */
    public record StrategyType(String name, String description, Set<String> keys,
                               Function<StrategyParams, SearchStrategy> factory) {
        /** Own keys plus {@link StrategyParams#COMMON_KEYS}. */
        public Set<String> allowedKeys() {
            Set<String> all = new TreeSet<>(keys);
            all.addAll(StrategyParams.COMMON_KEYS);
            return all;
        }
    }

    private static final Map<String, StrategyType> TYPES = new LinkedHashMap<>();

    static {
        register(new StrategyType("sample", "one sampled candidate (the baseline)", Set.of(),
                p -> new SampleStrategy(new StrategyConfig.Sample(p.decoding()))));
        register(new StrategyType("greedy", "one greedy candidate", Set.of(),
                p -> new SampleStrategy(new StrategyConfig.Greedy(p.decoding()))));
        register(new StrategyType("best_of_n",
                "N complete candidates from one prefill, the best by the pick verifier kept (ORM)",
                Set.of("n", "budgets", "reuse_prefixes"), SearchStrategies::bestOfN));
        register(new StrategyType("beam",
                "step-level beam search guided by the step verifier on partial audio (PRM)",
                Set.of("beam_width", "expand", "chunk_tokens"), SearchStrategies::beam));
        register(new StrategyType("dvts",
                "diverse verifier tree search: n / beam_width independent subtrees (PRM)",
                Set.of("n", "beam_width", "chunk_tokens"), SearchStrategies::dvts));
        register(new StrategyType("partial_prm_orm",
                "PRM beam search for the first part, then orm_n completions per beam picked by the pick verifier",
                Set.of("beam_width", "expand", "chunk_tokens", "prm_tokens", "prm_fraction", "orm_n"),
                SearchStrategies::partialPrmOrm));
    }

    private SearchStrategies() {}

    private static void register(StrategyType type) {
        TYPES.put(type.name(), type);
    }

    /** The registered type names, in registration order. */
    public static Set<String> types() {
        return java.util.Collections.unmodifiableSet(TYPES.keySet());
    }

    public static StrategyType type(String name) {
        StrategyType t = TYPES.get(name);
        if (t == null) {
            throw new IllegalArgumentException("unknown search strategy '" + name + "'; known: "
                    + String.join(", ", TYPES.keySet()));
        }
        return t;
    }

    /** Every key {@code type} accepts in YAML (its own and the common ones), sorted. */
    public static Set<String> allowedKeys(String type) {
        return type(type).allowedKeys();
    }

    /**
     * A configured strategy. {@code samplingDefaults} is the experiment's {@code sampling} block; the
     * strategy's own {@code sampling:} keys override it key by key.
     */
    public static SearchStrategy create(String type, Map<String, Object> params, SamplingParams samplingDefaults) {
        StrategyType t = type(type);
        return t.factory().apply(new StrategyParams(type, params, t.allowedKeys(),
                samplingDefaults == null ? SamplingParams.LLASA_DEFAULT : samplingDefaults));
    }

    /** As {@link #create(String, Map, SamplingParams)} with the Llasa model card's sampling defaults. */
    public static SearchStrategy create(String type, Map<String, Object> params) {
        return create(type, params, SamplingParams.LLASA_DEFAULT);
    }

    private static SearchStrategy bestOfN(StrategyParams p) {
        int n = p.integer("n", 8, 1);
        List<Integer> budgets = p.integers("budgets", List.of(n), 1);
        for (int b : budgets) {
            if (b > n) throw p.error("budgets entries must be <= n (" + n + "), got " + b);
        }
        return new BestOfNStrategy(new StrategyConfig.BestOfN(p.decoding(), n, budgets,
                p.bool("reuse_prefixes", true)));
    }

    private static SearchStrategy beam(StrategyParams p) {
        return new BeamStrategy(new StrategyConfig.Beam(p.decoding(), p.integer("beam_width", 4, 1),
                p.integer("expand", 4, 1), p.integer("chunk_tokens", 50, 1)));
    }

    private static SearchStrategy dvts(StrategyParams p) {
        int beamWidth = p.integer("beam_width", 4, 1);
        int n = p.integer("n", 16, 1);
        if (n % beamWidth != 0 || n < beamWidth) {
            throw p.error("n (" + n + ") must be a positive multiple of beam_width (" + beamWidth + ")");
        }
        return new DvtsStrategy(new StrategyConfig.Dvts(p.decoding(), n, beamWidth, p.integer("chunk_tokens", 50, 1)));
    }

    private static SearchStrategy partialPrmOrm(StrategyParams p) {
        if (!p.has("prm_tokens") && !p.has("prm_fraction")) {
            throw p.error("needs prm_tokens or prm_fraction (how much of the utterance the PRM guides)");
        }
        double fraction = p.number("prm_fraction", 0, 0, 1);
        if (p.has("prm_fraction") && fraction <= 0) throw p.error("prm_fraction must be > 0, got " + fraction);
        return new PartialPrmOrmStrategy(new StrategyConfig.PartialPrmOrm(p.decoding(),
                p.integer("beam_width", 4, 1), p.integer("expand", 4, 1), p.integer("chunk_tokens", 50, 1),
                p.integer("prm_tokens", 100, 1), fraction, p.integer("orm_n", 4, 1)));
    }
}
