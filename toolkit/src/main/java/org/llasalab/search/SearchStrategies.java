package org.llasalab.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llasalab.lm.SamplingParams;

/**
 * The registry of search strategies, by type name: what an experiment YAML's {@code search:} block
 * names. Each strategy is declared once, in its own file (name, parameter record, search); this lists
 * them. {@link #create} validates the parameters into the strategy's typed {@link StrategyConfig}.
 */
public final class SearchStrategies {

    private static final Map<String, StrategyType<?>> TYPES = new LinkedHashMap<>();

    static {
        for (StrategyType<?> t : List.of(SampleStrategy.SAMPLE, SampleStrategy.GREEDY, BestOfNStrategy.TYPE,
                BeamStrategy.TYPE, DvtsStrategy.TYPE, PartialPrmOrmStrategy.TYPE)) {
            TYPES.put(t.name(), t);
        }
    }

    private SearchStrategies() {}

    /** The registered type names, in registration order. */
    public static Set<String> types() {
        return Collections.unmodifiableSet(TYPES.keySet());
    }

    public static StrategyType<?> type(String name) {
        StrategyType<?> t = TYPES.get(name);
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
        return type(type).create(params, samplingDefaults == null ? SamplingParams.LLASA_DEFAULT : samplingDefaults);
    }

    /** As {@link #create(String, Map, SamplingParams)} with the Llasa model card's sampling defaults. */
    public static SearchStrategy create(String type, Map<String, Object> params) {
        return create(type, params, SamplingParams.LLASA_DEFAULT);
    }
}
