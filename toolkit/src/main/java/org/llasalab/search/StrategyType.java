package org.llasalab.search;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.llasalab.lm.SamplingParams;

/**
 * One search strategy as declared in its own file: the name an experiment's {@code search:} block uses,
 * a one-line description, its parameter record (whose {@link Key}-annotated components are its YAML
 * keys, defaults and checks; the first component is the common {@link StrategyConfig.Decoding}), how
 * to make the search from the record, and the key a budget sets (null: budgets do not apply).
 * {@link SearchStrategies} lists them.
 */
public final class StrategyType<C extends StrategyConfig> {
    private final String name;
    private final String description;
    private final Class<C> params;
    private final Function<? super C, ? extends SearchStrategy> search;
    private final String budgetKey;
    private final List<RecordComponent> components;
    private final Constructor<C> constructor;
    private final Set<String> keys;

    private StrategyType(String name, String description, Class<C> params,
                         Function<? super C, ? extends SearchStrategy> search, String budgetKey) {
        this.name = name;
        this.description = description;
        this.params = params;
        this.search = search;
        this.budgetKey = budgetKey;
        RecordComponent[] rc = params.getRecordComponents();
        if (rc == null || rc.length == 0 || rc[0].getType() != StrategyConfig.Decoding.class) {
            throw new IllegalStateException(params + ": a strategy's parameters are a record whose first component"
                    + " is StrategyConfig.Decoding");
        }
        this.components = List.of(rc);
        Set<String> own = new LinkedHashSet<>();
        for (RecordComponent c : components.subList(1, rc.length)) {
            Key key = c.getAnnotation(Key.class);
            if (key == null) throw new IllegalStateException(params + "." + c.getName() + " has no @Key");
            checkDefault(c, key);
            own.add(keyOf(c));
        }
        this.keys = Collections.unmodifiableSet(own);
        if (budgetKey != null && !keys.contains(budgetKey)) {
            throw new IllegalStateException(name + ": budget key '" + budgetKey + "' is not one of its keys " + keys);
        }
        NeedsOneOf needs = params.getAnnotation(NeedsOneOf.class);
        if (needs != null && !keys.containsAll(List.of(needs.keys()))) {
            throw new IllegalStateException(name + ": @NeedsOneOf names keys it does not have: " + List.of(needs.keys()));
        }
        try {
            this.constructor = params.getDeclaredConstructor(
                    components.stream().map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(params + " has no canonical constructor", e);
        }
    }

    /**
     * A strategy whose budget (the experiment's {@code budgets:}) sets {@code budgetKey}, or null when
     * it searches one candidate whatever the budget.
     */
    public static <C extends StrategyConfig> StrategyType<C> of(String name, String description, Class<C> params,
                                                               String budgetKey,
                                                               Function<? super C, ? extends SearchStrategy> search) {
        return new StrategyType<>(name, description, params, search, budgetKey);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The parameter record. */
    public Class<C> params() {
        return params;
    }

    /** The key a budget sets (the number of sequences searched in parallel), or null. */
    public String budgetKey() {
        return budgetKey;
    }

    /** The strategy's own keys, in the record's order. */
    public Set<String> keys() {
        return keys;
    }

    /** Own keys plus {@link StrategyParams#COMMON_KEYS}, sorted. */
    public Set<String> allowedKeys() {
        Set<String> all = new TreeSet<>(keys);
        all.addAll(StrategyParams.COMMON_KEYS);
        return all;
    }

    /** The search for validated YAML parameters. */
    public SearchStrategy create(Map<String, Object> yaml, SamplingParams samplingDefaults) {
        return search.apply(read(new StrategyParams(name, yaml, allowedKeys(), samplingDefaults)));
    }

    /**
     * The parameters when nothing is given but what the strategy needs (for {@link NeedsOneOf}, the
     * first of its keys at its default), with the Llasa model card's sampling.
     */
    public C defaults() {
        Map<String, Object> minimal = new LinkedHashMap<>();
        NeedsOneOf needs = params.getAnnotation(NeedsOneOf.class);
        if (needs != null) {
            RecordComponent c = component(needs.keys()[0]);
            minimal.put(keyOf(c), parse(c, c.getAnnotation(Key.class).dflt()));
        }
        return read(new StrategyParams(name, minimal, allowedKeys(), SamplingParams.LLASA_DEFAULT));
    }

    /** Reads every component from {@code p} (defaults, ranges), then builds the record (its own checks). */
    C read(StrategyParams p) {
        NeedsOneOf needs = params.getAnnotation(NeedsOneOf.class);
        if (needs != null && Arrays.stream(needs.keys()).noneMatch(p::has)) {
            throw p.error("needs " + String.join(" or ", needs.keys()) + " (" + needs.why() + ")");
        }
        Object[] values = new Object[components.size()];
        values[0] = p.decoding();
        for (int i = 1; i < values.length; i++) values[i] = value(p, components.get(i));
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                if (iae.getMessage() != null && iae.getMessage().startsWith("search strategy")) throw iae;
                throw p.error(iae.getMessage());
            }
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(params + ": cannot build", e);
        }
    }

    private static Object value(StrategyParams p, RecordComponent c) {
        Key k = c.getAnnotation(Key.class);
        String key = keyOf(c);
        Class<?> t = c.getType();
        if (t == int.class) return p.integer(key, Integer.parseInt(k.dflt()), intMin(k));
        if (t == boolean.class) return p.bool(key, Boolean.parseBoolean(k.dflt()));
        if (t == double.class) {
            double v = p.number(key, Double.parseDouble(k.dflt()), k.min(), k.max());
            if (k.positiveWhenGiven() && p.has(key) && v <= 0) throw p.error(key + " must be > 0, got " + v);
            return v;
        }
        return p.integers(key, k.dflt().isEmpty() ? null : integerList(k.dflt()), intMin(k));
    }

    private static int intMin(Key k) {
        return (int) Math.max(k.min(), Integer.MIN_VALUE);
    }

    private static List<Integer> integerList(String text) {
        List<Integer> out = new ArrayList<>();
        for (String s : text.replace("[", "").replace("]", "").split(",")) out.add(Integer.parseInt(s.trim()));
        return out;
    }

    private static Object parse(RecordComponent c, String text) {
        Class<?> t = c.getType();
        if (t == int.class) return Integer.parseInt(text);
        if (t == boolean.class) return Boolean.parseBoolean(text);
        if (t == double.class) return Double.parseDouble(text);
        return text.isEmpty() ? null : integerList(text);
    }

    /** Fails at class load (so every test sees it) when a default does not fit its component. */
    private void checkDefault(RecordComponent c, Key key) {
        Class<?> t = c.getType();
        boolean intList = t == List.class && c.getGenericType() instanceof ParameterizedType pt
                && pt.getActualTypeArguments()[0] == Integer.class;
        if (t != int.class && t != boolean.class && t != double.class && !intList) {
            throw new IllegalStateException(params + "." + c.getName() + ": unsupported parameter type " + t);
        }
        if (key.dflt().isEmpty() && !intList) {
            throw new IllegalStateException(params + "." + c.getName() + ": needs a default");
        }
        if (t == boolean.class && !key.dflt().equals("true") && !key.dflt().equals("false")) {
            throw new IllegalStateException(params + "." + c.getName() + ": default must be true or false");
        }
        parse(c, key.dflt()); // throws NumberFormatException on a bad number
    }

    private RecordComponent component(String key) {
        return components.stream().filter(c -> keyOf(c).equals(key)).findFirst().orElseThrow();
    }

    /** {@code beamWidth} -> {@code beam_width}. */
    static String keyOf(RecordComponent c) {
        return c.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return name;
    }
}
