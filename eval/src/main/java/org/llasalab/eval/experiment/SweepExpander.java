package org.llasalab.eval.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.llasalab.eval.experiment.Experiment.ModelSpec;
import org.llasalab.eval.experiment.Experiment.StrategySpec;
import org.llasalab.eval.experiment.Experiment.VerifierSpec;

/**
 * Expands an experiment into cells: the cartesian product of models x strategies x seeds, except that
 * axes named together in a {@code sweep.zip} group vary together; each strategy then contributes one
 * cell per budget. Cells come out ordered by model, strategy, budget, seed (file order).
 */
public final class SweepExpander {
    static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final List<String> AXES = List.of("model", "strategy", "seed");

    private final Function<java.nio.file.Path, String> fingerprint;

    public SweepExpander() {
        this(ModelFingerprint::of);
    }

    /** {@code fingerprint} identifies a model or codec folder ({@link ModelFingerprint#of} by default). */
    public SweepExpander(Function<java.nio.file.Path, String> fingerprint) {
        this.fingerprint = fingerprint;
    }

    public List<Cell> expand(Experiment e) {
        List<ModelSpec> models = List.copyOf(e.models().values());
        List<StrategySpec> strategies = List.copyOf(e.strategies().values());
        Map<String, Integer> sizes = Map.of("model", models.size(), "strategy", strategies.size(), "seed",
                e.seeds().size());
        // Units of the product: each zip group is one unit, every other axis its own unit.
        List<List<String>> units = new ArrayList<>();
        for (String axis : AXES) {
            List<String> group = e.zip().stream().filter(g -> g.contains(axis)).findFirst().orElse(List.of(axis));
            if (!units.contains(group)) units.add(group);
        }
        List<Map<String, Integer>> combos = new ArrayList<>();
        combos.add(new HashMap<>());
        for (List<String> unit : units) {
            int n = sizes.get(unit.get(0));
            List<Map<String, Integer>> next = new ArrayList<>();
            for (Map<String, Integer> c : combos) {
                for (int i = 0; i < n; i++) {
                    Map<String, Integer> m = new HashMap<>(c);
                    for (String axis : unit) m.put(axis, i);
                    next.add(m);
                }
            }
            combos = next;
        }
        Map<java.nio.file.Path, String> prints = new HashMap<>();
        record Key(int model, int strategy, int budget, int seed) {}
        Map<Key, Cell> cells = new TreeMap<>(Comparator.comparingInt(Key::model).thenComparingInt(Key::strategy)
                .thenComparingInt(Key::budget).thenComparingInt(Key::seed));
        for (Map<String, Integer> c : combos) {
            ModelSpec model = models.get(c.get("model"));
            StrategySpec strategy = strategies.get(c.get("strategy"));
            long seed = e.seeds().get(c.get("seed"));
            for (int b = 0; b < strategy.budgets().size(); b++) {
                int budget = strategy.budgets().get(b);
                cells.put(new Key(c.get("model"), c.get("strategy"), b, c.get("seed")),
                        cell(e, model, strategy, budget, seed, prints));
            }
        }
        return List.copyOf(cells.values());
    }

    private Cell cell(Experiment e, ModelSpec model, StrategySpec strategy, int budget, long seed,
            Map<java.nio.file.Path, String> prints) {
        List<VerifierSpec> guides = strategy.guides().stream().map(e.verifiers()::get).toList();
        List<VerifierSpec> evaluators = e.evaluate().stream().map(e.verifiers()::get).toList();
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", model.name());
        m.put("path", model.path());
        m.put("dir", String.valueOf(model.dir()));
        m.put("fingerprint", prints.computeIfAbsent(model.dir(), fingerprint::apply));
        m.put("codec", model.codec());
        m.put("codec_dir", String.valueOf(model.codecDir()));
        m.put("codec_fingerprint", prints.computeIfAbsent(model.codecDir(), fingerprint::apply));
        m.put("dtype", model.dtype());
        if (model.quantize() != null) m.put("quantize", model.quantize());
        config.put("model", m);
        config.put("dataset", e.dataset().name() != null ? e.dataset().name() : String.valueOf(e.dataset().file()));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", strategy.name());
        s.put("type", strategy.type());
        s.put("params", strategy.paramsAt(budget));
        // only the non-default value is written, so that the cells of existing experiments keep their ids
        if (!strategy.voicePrompt()) s.put(ExperimentReader.VOICE_PROMPT_KEY, false);
        config.put("strategy", s);
        config.put("budget", budget);
        config.put("seed", seed);
        config.put("search", guides.stream().map(v -> verifier(v, e.verifiers())).toList());
        config.put("sampling", e.sampling().asMap());
        Map<String, String> judges = new LinkedHashMap<>();
        for (VerifierSpec v : evaluators) judges.put(v.name(), judge(v, e.verifiers()));
        return new Cell(hash(config), model, strategy, budget, seed, guides, evaluators, e.sampling(), config, judges);
    }

    private static Map<String, Object> verifier(VerifierSpec v, Map<String, VerifierSpec> all) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", v.name());
        out.put("type", v.type());
        out.put("params", v.params());
        // a guide's score revision changes what the search picks; written only past "1" (existing cells keep ids)
        String version = org.llasalab.verify.Verifiers.version(v.type(), v.params());
        if (!version.equals("1")) out.put("version", version);
        // a composite guide's named members: their own definitions (written only when there are any)
        Map<String, String> refs = refJudges(v, all, 0);
        if (!refs.isEmpty()) out.put("refs", refs);
        return out;
    }

    /**
     * What a score of verifier {@code v} depends on besides the audio: its type, parameters, score revision
     * and, for a composite, the same of every verifier it names ({@code all}: the experiment's verifiers),
     * hashed. Results record it per metric; a score judged otherwise is redone.
     */
    public static String judge(VerifierSpec v, Map<String, VerifierSpec> all) {
        return judge(v, all, 0);
    }

    private static String judge(VerifierSpec v, Map<String, VerifierSpec> all, int depth) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("type", v.type());
        j.put("params", v.params());
        j.put("version", org.llasalab.verify.Verifiers.version(v.type(), v.params()));
        Map<String, String> refs = refJudges(v, all, depth);
        if (!refs.isEmpty()) j.put("refs", refs);
        return hash(j);
    }

    /** The judges of the verifiers a composite names ({@code members: [name, {ref: name}, ...]}). */
    private static Map<String, String> refJudges(VerifierSpec v, Map<String, VerifierSpec> all, int depth) {
        Map<String, String> out = new java.util.TreeMap<>();
        if (depth > 8 || !(v.params().get("members") instanceof List<?> members)) return out;
        for (Object m : members) {
            Object ref = m instanceof String s ? s : m instanceof Map<?, ?> map ? map.get("ref") : null;
            VerifierSpec named = ref == null ? null : all.get(ref.toString());
            if (named != null && named != v) out.put(named.name(), judge(named, all, depth + 1));
        }
        return out;
    }

    /** The first 12 hex digits of the SHA-256 of the canonical JSON (keys sorted) of {@code config}. */
    public static String hash(Map<String, Object> config) {
        try {
            byte[] json = CANONICAL.writeValueAsString(config).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(ModelFingerprint.sha256().digest(json)).substring(0, 12);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise a cell configuration: " + ex.getMessage(), ex);
        }
    }
}
