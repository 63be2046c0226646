package org.llasalab.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.llasalab.lm.SamplingParams;

/**
 * A strategy's YAML parameters, read with validation: unknown keys, wrong types and out-of-range
 * values raise {@link IllegalArgumentException} naming the strategy, the key and what is allowed.
 */
public final class StrategyParams {
    /** Keys every strategy accepts. */
    public static final Set<String> COMMON_KEYS = Set.of("max_tokens", "sampling", "chunk_text");
    /** Keys of a strategy's {@code sampling:} block. */
    public static final Set<String> SAMPLING_KEYS =
            Set.of("temperature", "top_k", "top_p", "min_p", "repetition_penalty");
    /** Default {@code max_tokens}: 30 s of X-codec2 speech. */
    public static final int DEFAULT_MAX_TOKENS = 1500;

    private final String type;
    private final Map<String, Object> raw;
    private final SamplingParams samplingDefaults;

    StrategyParams(String type, Map<String, Object> raw, Set<String> allowed, SamplingParams samplingDefaults) {
        this.type = type;
        this.raw = raw == null ? Map.of() : new LinkedHashMap<>(raw);
        this.samplingDefaults = samplingDefaults;
        for (String key : this.raw.keySet()) {
            if (!allowed.contains(key)) {
                throw error("unknown key '" + key + "'; allowed: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    public String type() {
        return type;
    }

    public boolean has(String key) {
        return raw.containsKey(key) && raw.get(key) != null;
    }

    public int integer(String key, int defaultValue, int min) {
        if (!has(key)) return defaultValue;
        int v = asInt(key, raw.get(key));
        if (v < min) throw error(key + " must be >= " + min + ", got " + v);
        return v;
    }

    public double number(String key, double defaultValue, double min, double max) {
        if (!has(key)) return defaultValue;
        Object o = raw.get(key);
        if (!(o instanceof Number n)) throw error(key + " must be a number, got " + describe(o));
        double v = n.doubleValue();
        if (!(v >= min && v <= max)) throw error(key + " must be in [" + min + ", " + max + "], got " + v);
        return v;
    }

    public boolean bool(String key, boolean defaultValue) {
        if (!has(key)) return defaultValue;
        Object o = raw.get(key);
        if (!(o instanceof Boolean b)) throw error(key + " must be true or false, got " + describe(o));
        return b;
    }

    public List<Integer> integers(String key, List<Integer> defaultValue, int min) {
        if (!has(key)) return defaultValue;
        Object o = raw.get(key);
        List<?> items = o instanceof List<?> l ? l : o instanceof Number ? List.of(o) : null;
        if (items == null || items.isEmpty()) throw error(key + " must be a non-empty list of integers, got " + describe(o));
        List<Integer> out = new ArrayList<>();
        for (Object item : items) {
            int v = asInt(key, item);
            if (v < min) throw error(key + " entries must be >= " + min + ", got " + v);
            out.add(v);
        }
        return out;
    }

    /** The common keys: sampling (defaults overridden key by key), max_tokens, chunk_text. */
    public StrategyConfig.Decoding decoding() {
        SamplingParams s = samplingDefaults;
        if (has("sampling")) {
            if (!(raw.get("sampling") instanceof Map<?, ?> m)) {
                throw error("sampling must be a map of " + String.join(", ", new TreeSet<>(SAMPLING_KEYS))
                        + ", got " + describe(raw.get("sampling")));
            }
            Map<String, Object> sm = new LinkedHashMap<>();
            m.forEach((k, v) -> sm.put(String.valueOf(k), v));
            StrategyParams sp = new StrategyParams(type + ".sampling", sm, SAMPLING_KEYS, samplingDefaults);
            try {
                s = new SamplingParams(
                        sp.number("temperature", s.temperature(), 0, Double.MAX_VALUE),
                        sp.integer("top_k", s.topK(), 0),
                        sp.number("top_p", s.topP(), 0, 1),
                        sp.number("min_p", s.minP(), 0, 1),
                        sp.number("repetition_penalty", s.repetitionPenalty(), 0, Double.MAX_VALUE));
            } catch (IllegalArgumentException e) {
                if (e.getMessage().startsWith("search strategy")) throw e;
                throw error("sampling: " + e.getMessage());
            }
        }
        return new StrategyConfig.Decoding(s, integer("max_tokens", DEFAULT_MAX_TOKENS, 1), bool("chunk_text", false));
    }

    public IllegalArgumentException error(String message) {
        return new IllegalArgumentException("search strategy '" + type + "': " + message);
    }

    private int asInt(String key, Object o) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
            long v = ((Number) o).longValue();
            if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) throw error(key + " is out of range: " + v);
            return (int) v;
        }
        throw error(key + " must be an integer, got " + describe(o));
    }

    private static String describe(Object o) {
        if (o == null) return "nothing";
        String kind = o instanceof String ? "text" : o instanceof Map ? "a map" : o instanceof List ? "a list"
                : o.getClass().getSimpleName().toLowerCase();
        return kind + " '" + o + "'";
    }
}
