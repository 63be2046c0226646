package org.llasalab.eval.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.llasalab.eval.experiment.Experiment.DatasetSpec;
import org.llasalab.eval.experiment.Experiment.ModelSpec;
import org.llasalab.eval.experiment.Experiment.Output;
import org.llasalab.eval.experiment.Experiment.Sampling;
import org.llasalab.eval.experiment.Experiment.SaveAudio;
import org.llasalab.eval.experiment.Experiment.StrategySpec;
import org.llasalab.eval.experiment.Experiment.VerifierSpec;
import org.llasalab.io.yaml.Problem;
import org.llasalab.io.yaml.YamlException;
import org.llasalab.io.yaml.YamlFields;
import org.llasalab.io.yaml.YamlNode;
import org.llasalab.io.yaml.YamlNode.ListNode;
import org.llasalab.io.yaml.YamlNode.Location;
import org.llasalab.io.yaml.YamlNode.MapNode;
import org.llasalab.io.yaml.YamlNode.Scalar;
import org.llasalab.io.yaml.YamlTree;

/**
 * Reads and validates an experiment YAML file. Every problem (unknown keys, wrong types, unknown
 * strategy or verifier types, missing files) is collected with its line and column and reported at
 * once in one {@link ExperimentException}; nothing is run before the whole file is valid.
 *
 * <p>Paths go through a {@link PathResolver}: relative ones resolve against the YAML file's folder, and
 * {@code ${VAR}} and {@code ${VAR:-default}} expand environment variables (e.g.
 * {@code ${LLASA_MODELS:-models}/Llasa-1B}).
 *
 * <p>Stateless: each {@code read} makes its own {@link Read} (the file's {@link YamlFields}, which collects
 * the problems, and its {@link PathResolver}), so one reader may serve several threads.
 */
public final class ExperimentReader {
    static final Set<String> TOP_KEYS = keys("name", "models", "dataset", "strategies", "verifiers", "search",
            "evaluate", "sampling", "seeds", "sweep", "output");
    static final Set<String> MODEL_KEYS = keys("path", "codec", "dtype", "quantize", "source");
    static final Set<String> CODEC_KEYS = keys("path", "source");
    static final Set<String> DATASET_KEYS = keys("name", "path", "limit", "source");
    static final Set<String> VERIFIER_KEYS = keys("type", "params", "source");
    static final Set<String> SAMPLING_KEYS = keys("temperature", "top_p", "top_k", "min_p", "repetition_penalty",
            "max_tokens");
    static final Set<String> SWEEP_KEYS = keys("zip");
    static final Set<String> SWEEP_AXES = keys("model", "strategy", "seed");
    static final Set<String> OUTPUT_KEYS = keys("dir", "save_audio");
    static final Set<String> DTYPES = keys("f32", "bf16", "f16");
    static final Set<String> QUANTIZATIONS = keys("none", "q8");
    /**
     * The strategy key that says whether the LM prompt holds the item's voice prompt (default true); with
     * false the prompt is the target text alone, while verifiers still get the prompt audio as reference.
     */
    public static final String VOICE_PROMPT_KEY = "voice_prompt";

    private final Environment environment;
    private final Function<String, String> env;

    public ExperimentReader(Environment environment) {
        this(environment, System::getenv);
    }

    /** {@code env} looks up environment variables used in paths (tests pass their own). */
    public ExperimentReader(Environment environment, Function<String, String> env) {
        this.environment = environment;
        this.env = env;
    }

    public Experiment read(Path yamlFile) throws ExperimentException {
        List<Problem> found = new ArrayList<>();
        YamlNode root;
        try {
            root = YamlTree.read(yamlFile, found);
        } catch (YamlException e) {
            throw new ExperimentException(e.problems());
        }
        Read read = new Read(yamlFile, new YamlFields(yamlFile, found));
        Experiment experiment = read.experiment(root);
        if (read.f.hasProblems()) throw new ExperimentException(read.f.problems());
        return experiment;
    }

    /** The keys of an experiment embedded in another file: its caller supplies name, models and output. */
    static final Set<String> EMBEDDED_KEYS = keys("dataset", "strategies", "verifiers", "search", "evaluate",
            "sampling", "seeds");

    /**
     * Reads an experiment embedded in another YAML file (the {@code final} block of a study): {@code node}
     * holds the keys of {@link #EMBEDDED_KEYS}, {@code where} names it in messages, and the caller supplies
     * the name, the models (not checked here: they need not exist yet) and the output. Problems go to
     * {@code fields} (the enclosing file's) with the file's lines and columns; the result is meaningful only
     * when there were none.
     */
    public Experiment readEmbedded(YamlNode node, String where, String name, Map<String, ModelSpec> models,
            Output output, YamlFields fields) {
        Read read = new Read(fields.file(), fields);
        MapNode top = fields.map(node, where);
        if (top == null) return null;
        fields.checkKeys(top, EMBEDDED_KEYS, where);
        return read.body(top, where, name, models, List.of(), output);
    }

    /** One read of one file: where its problems go and how its paths resolve. */
    private final class Read {
        private final Path file;
        private final YamlFields f;
        private final PathResolver paths;

        Read(Path file, YamlFields f) {
            this.file = file;
            this.f = f;
            this.paths = new PathResolver(file.toAbsolutePath().getParent(), env, environment);
        }

        Experiment experiment(YamlNode root) {
            if (!(root instanceof MapNode top)) {
                f.problem(root.location(), "the experiment must be a mapping of keys (name, models, dataset, ...), found "
                        + root.kind());
                return null;
            }
            f.checkKeys(top, TOP_KEYS, "top level");
            String name = f.require(top, "name", "top level") == null ? null : f.string(top.get("name"), "name");
            if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                f.problem(top.get("name").location(), "name '" + name + "' must use only letters, digits, '.', '_' and '-'");
            }
            Map<String, ModelSpec> models = readModels(f.require(top, "models", "top level"));
            return body(top, "top level", name, models, null, readOutput(top.get("output"), name));
        }

        /** The sections after name and models; {@code zip} null: read from {@code sweep}. */
        Experiment body(MapNode top, String where, String name, Map<String, ModelSpec> models,
                List<List<String>> zip, Output output) {
            Map<String, VerifierSpec> verifiers = readVerifiers(top.get("verifiers"));
            DatasetSpec dataset = readDataset(f.require(top, "dataset", where));
            Map<String, StrategySpec> strategies = readStrategies(f.require(top, "strategies", where),
                    top.get("search"), verifiers);
            List<String> evaluate = readEvaluate(top.get("evaluate"), verifiers);
            Sampling sampling = readSampling(top.get("sampling"));
            List<Long> seeds = readSeeds(top.get("seeds"));
            if (zip == null) zip = readSweep(top.get("sweep"), models, strategies, seeds);
            return new Experiment(file, name, models, dataset, strategies, verifiers, evaluate, sampling, seeds, zip,
                    output);
        }

        // ---- sections ----

        private Map<String, ModelSpec> readModels(YamlNode node) {
            Map<String, ModelSpec> out = new LinkedHashMap<>();
            MapNode map = f.map(node, "models");
            if (map == null) return out;
            if (map.entries().isEmpty()) f.problem(map.location(), "models: at least one model is needed");
            for (var e : map.entries().entrySet()) {
                String where = "models." + e.getKey();
                MapNode m = f.map(e.getValue(), where);
                if (m == null) continue;
                f.checkKeys(m, MODEL_KEYS, where);
                String source = f.optionalString(m, "source", where);
                String path = f.require(m, "path", where) == null ? null : f.string(m.get("path"), where + ".path");
                Path dir = path == null ? null : paths.model(path, source, m.get("path").location(), where, f);
                String codec = null;
                Path codecDir = null;
                YamlNode codecNode = f.require(m, "codec", where);
                if (codecNode instanceof MapNode cm) {
                    f.checkKeys(cm, CODEC_KEYS, where + ".codec");
                    String codecSource = f.optionalString(cm, "source", where + ".codec");
                    codec = f.require(cm, "path", where + ".codec") == null ? null
                            : f.string(cm.get("path"), where + ".codec.path");
                    if (codec != null) codecDir = paths.codec(codec, codecSource, cm.get("path").location(), where, f);
                } else if (codecNode != null) {
                    codec = f.string(codecNode, where + ".codec");
                    if (codec != null) codecDir = paths.codec(codec, null, codecNode.location(), where, f);
                }
                String dtype = f.optionalString(m, "dtype", where);
                if (dtype != null && !DTYPES.contains(dtype)) {
                    f.problem(m.get("dtype").location(), where + ".dtype: unknown dtype '" + dtype + "' (allowed: "
                            + DTYPES + ")");
                }
                String quantize = f.optionalString(m, "quantize", where);
                if (quantize != null && !QUANTIZATIONS.contains(quantize)) {
                    f.problem(m.get("quantize").location(), where + ".quantize: unknown quantization '" + quantize
                            + "' (allowed: " + QUANTIZATIONS + ")");
                }
                // none is the default: left out, so that the cells of a file without the key keep their ids
                if ("none".equals(quantize)) quantize = null;
                out.put(e.getKey(), new ModelSpec(e.getKey(), path, dir, codec, codecDir, dtype, quantize));
            }
            return out;
        }

        private DatasetSpec readDataset(YamlNode node) {
            if (node == null) return null;
            String name = null;
            String path = null;
            String source = null;
            int limit = 0;
            Location pathAt = node.location();
            if (node instanceof Scalar s && s.value() instanceof String text) {
                name = text;
            } else {
                MapNode m = f.map(node, "dataset");
                if (m == null) return null;
                f.checkKeys(m, DATASET_KEYS, "dataset");
                name = f.optionalString(m, "name", "dataset");
                path = f.optionalString(m, "path", "dataset");
                source = f.optionalString(m, "source", "dataset");
                if (m.get("path") != null) pathAt = m.get("path").location();
                if (m.get("name") != null) pathAt = m.get("name").location();
                if (m.get("limit") != null) {
                    Long l = f.integer(m.get("limit"), "dataset.limit");
                    if (l != null && l < 0) f.problem(m.get("limit").location(), "dataset.limit must be >= 0, found " + l);
                    limit = l == null ? 0 : (int) Math.max(0, l);
                }
                if ((name == null) == (path == null)) {
                    f.problem(m.location(), "dataset: give exactly one of 'name' (" + environment.datasets().keySet()
                            + ") or 'path' (a seed-tts-eval meta.lst)");
                    return null;
                }
            }
            if (name != null) {
                Path known = environment.datasets().get(name);
                if (known == null) {
                    f.problem(pathAt, "dataset: unknown dataset '" + name + "' (allowed: " + environment.datasets().keySet()
                            + ", or {path: <meta.lst>})");
                    return null;
                }
                return new DatasetSpec(name, known, limit);
            }
            Path list = paths.resolve(path, pathAt, "dataset.path", f);
            if (list != null && !Files.isRegularFile(list)) {
                f.problem(pathAt, "dataset.path: test list " + list + " not found"
                        + (source == null ? "" : "; download " + source + " and point dataset.path at its meta.lst"));
            }
            return new DatasetSpec(null, list, limit);
        }

        private Map<String, VerifierSpec> readVerifiers(YamlNode node) {
            Map<String, VerifierSpec> out = new LinkedHashMap<>();
            if (node == null) return out;
            MapNode map = f.map(node, "verifiers");
            if (map == null) return out;
            for (var e : map.entries().entrySet()) {
                String where = "verifiers." + e.getKey();
                MapNode m = f.map(e.getValue(), where);
                if (m == null) continue;
                f.checkKeys(m, VERIFIER_KEYS, where);
                String type = f.require(m, "type", where) == null ? null : f.string(m.get("type"), where + ".type");
                if (type != null && !environment.verifierTypes().contains(type)) {
                    f.problem(m.get("type").location(), where + ".type: unknown verifier type '" + type + "' (allowed: "
                            + environment.verifierTypes() + ")");
                }
                String source = f.optionalString(m, "source", where);
                Map<String, Object> params = new LinkedHashMap<>();
                if (m.get("params") != null) {
                    MapNode p = f.map(m.get("params"), where + ".params");
                    if (p != null) {
                        params = YamlFields.plain(p);
                        checkModelFiles(p, params, where + ".params", source);
                    }
                }
                out.put(e.getKey(), new VerifierSpec(e.getKey(), type, params));
            }
            return out;
        }

        /**
         * Verifier parameters that name files ({@code model}, {@code *_model}, {@code *_file}): expands
         * variables, resolves them against the YAML's folder and reports missing ones.
         */
        private void checkModelFiles(MapNode p, Map<String, Object> params, String where, String source) {
            for (var e : p.entries().entrySet()) {
                String key = e.getKey();
                if (!(key.equals("model") || key.endsWith("_model") || key.endsWith("_file"))) continue;
                if (!(e.getValue() instanceof Scalar sc) || !(sc.value() instanceof String raw)) continue;
                Path named = paths.resolve(raw, sc.location(), where + "." + key, f);
                if (file == null) continue;
                params.put(key, file.toString());
                if (!Files.exists(file)) {
                    f.problem(sc.location(), where + "." + key + ": " + file + " not found"
                            + (source == null ? "" : "; download " + source + " there, or set LLASA_MODELS"));
                }
            }
        }

        private Map<String, StrategySpec> readStrategies(YamlNode node, YamlNode searchNode,
                Map<String, VerifierSpec> verifiers) {
            Map<String, StrategySpec> out = new LinkedHashMap<>();
            MapNode map = f.map(node, "strategies");
            if (map == null) return out;
            if (map.entries().isEmpty()) f.problem(map.location(), "strategies: at least one strategy is needed");
            // search: a verifier name or list (all strategies), or a mapping strategy -> verifier name(s).
            List<String> globalGuides = List.of();
            Map<String, List<String>> perStrategy = new LinkedHashMap<>();
            if (searchNode instanceof MapNode sm) {
                for (var e : sm.entries().entrySet()) {
                    if (!map.entries().containsKey(e.getKey())) {
                        f.problem(sm.keyLocation(e.getKey()), "search: unknown strategy '" + e.getKey() + "' (allowed: "
                                + map.entries().keySet() + ")");
                        continue;
                    }
                    perStrategy.put(e.getKey(), verifierNames(e.getValue(), "search." + e.getKey(), verifiers));
                }
            } else if (searchNode != null) {
                globalGuides = verifierNames(searchNode, "search", verifiers);
            }
            for (var e : map.entries().entrySet()) {
                String where = "strategies." + e.getKey();
                MapNode m = f.map(e.getValue(), where);
                if (m == null) continue;
                String type = f.require(m, "type", where) == null ? null : f.string(m.get("type"), where + ".type");
                Set<String> allowed = type == null ? null : environment.strategyTypes().get(type);
                if (type != null && allowed == null) {
                    f.problem(m.get("type").location(), where + ".type: unknown strategy type '" + type + "' (allowed: "
                            + environment.strategyTypes().keySet() + ")");
                }
                Map<String, Object> params = new LinkedHashMap<>();
                List<Integer> budgets = List.of();
                String budgetParameter = type == null ? null : environment.budgetParameters().get(type);
                boolean voicePrompt = true;
                boolean paramsOk = allowed != null;
                for (var p : m.entries().entrySet()) {
                    switch (p.getKey()) {
                        case "type" -> {}
                        case "budgets" -> budgets = budgets(p.getValue(), where + ".budgets");
                        case VOICE_PROMPT_KEY -> voicePrompt = f.bool(p.getValue(), where + "." + VOICE_PROMPT_KEY, true);
                        case Environment.BUDGET_PARAMETER_KEY -> {
                            String b = f.string(p.getValue(), where + "." + p.getKey());
                            if (b != null && allowed != null && !allowed.contains(b)) {
                                f.problem(p.getValue().location(), where + "." + p.getKey() + ": '" + b
                                        + "' is not a parameter of strategy type '" + type + "' (allowed: " + allowed + ")");
                            }
                            budgetParameter = b;
                        }
                        default -> {
                            if (allowed != null && !allowed.contains(p.getKey())) {
                                Set<String> all = new TreeSet<>(allowed);
                                all.add("type");
                                all.add("budgets");
                                all.add(Environment.BUDGET_PARAMETER_KEY);
                                all.add(VOICE_PROMPT_KEY);
                                f.problem(m.keyLocation(p.getKey()), where + ": unknown key '" + p.getKey()
                                        + "' for strategy type '" + type + "' (allowed: " + all + ")");
                                paramsOk = false;
                            }
                            params.put(p.getKey(), p.getValue().toPlain());
                        }
                    }
                }
                if (m.get("budgets") == null) {
                    f.problem(m.location(), where + ": missing key 'budgets' (a list of positive integers, e.g. [1, 2, 4, 8])");
                } else if (allowed != null && budgetParameter == null && budgets.stream().anyMatch(b -> b != 1)) {
                    f.problem(m.get("budgets").location(), where + ".budgets: strategy type '" + type
                            + "' has no budget parameter, so its only budget is 1 (write budgets: [1])");
                }
                if (budgetParameter != null && params.containsKey(budgetParameter)) {
                    f.problem(m.keyLocation(budgetParameter), where + ": '" + budgetParameter
                            + "' is set by each cell's budget; remove it or choose another budget_parameter");
                    paramsOk = false;
                }
                if (paramsOk && environment.strategyCheck() != null) {
                    for (int b : budgets.isEmpty() ? List.of(1) : budgets) {
                        Map<String, Object> withBudget = new LinkedHashMap<>(params);
                        if (budgetParameter != null) withBudget.put(budgetParameter, b);
                        String error = environment.strategyCheck().apply(type, withBudget);
                        if (error != null) {
                            f.problem(m.location(), where + (budgetParameter == null ? "" : " at budget " + b) + ": " + error);
                            break;
                        }
                    }
                }
                List<String> guides = perStrategy.getOrDefault(e.getKey(), globalGuides);
                boolean named = searchNode instanceof MapNode sm ? sm.entries().containsKey(e.getKey()) : searchNode != null;
                if (type != null && environment.budgetParameters().containsKey(type) && guides.isEmpty() && !named) {
                    f.problem(m.location(), where + ": strategy type '" + type + "' chooses among candidates and needs a"
                            + " guiding verifier: name one under search: (e.g. search: {" + e.getKey() + ": "
                            + (verifiers.isEmpty() ? "<verifier>" : verifiers.keySet().iterator().next()) + "})");
                }
                out.put(e.getKey(), new StrategySpec(e.getKey(), type, params, budgetParameter, budgets, guides,
                        voicePrompt));
            }
            return out;
        }

        private List<String> verifierNames(YamlNode node, String where, Map<String, VerifierSpec> verifiers) {
            List<String> names = new ArrayList<>();
            List<YamlNode> items = node instanceof ListNode l ? l.items() : List.of(node);
            for (YamlNode item : items) {
                String name = f.string(item, where);
                if (name == null) continue;
                if (!verifiers.containsKey(name)) {
                    f.problem(item.location(), where + ": unknown verifier '" + name + "' (allowed: " + verifiers.keySet()
                            + ")");
                } else {
                    names.add(name);
                }
            }
            return names;
        }

        private List<String> readEvaluate(YamlNode node, Map<String, VerifierSpec> verifiers) {
            if (node == null) return List.copyOf(verifiers.keySet());
            List<String> names = verifierNames(node, "evaluate", verifiers);
            Set<String> seen = new HashSet<>();
            for (String n : names) {
                if (!seen.add(n)) f.problem(node.location(), "evaluate: verifier '" + n + "' listed twice");
            }
            return List.copyOf(new LinkedHashSet<>(names));
        }

        private Sampling readSampling(YamlNode node) {
            Sampling d = Sampling.DEFAULT;
            if (node == null) return d;
            MapNode m = f.map(node, "sampling");
            if (m == null) return d;
            f.checkKeys(m, SAMPLING_KEYS, "sampling");
            double temperature = f.number(m, "temperature", d.temperature(), 0, Double.MAX_VALUE, "sampling");
            double topP = f.number(m, "top_p", d.topP(), Double.MIN_VALUE, 1, "sampling");
            double minP = f.number(m, "min_p", d.minP(), 0, 0.999999, "sampling");
            double penalty = f.number(m, "repetition_penalty", d.repetitionPenalty(), Double.MIN_VALUE, Double.MAX_VALUE,
                    "sampling");
            int topK = (int) f.integerIn(m, "top_k", d.topK(), 0, Integer.MAX_VALUE, "sampling");
            int maxTokens = (int) f.integerIn(m, "max_tokens", d.maxTokens(), 1, 1 << 20, "sampling");
            return new Sampling(temperature, topP, topK, minP, penalty, maxTokens);
        }

        private List<Long> readSeeds(YamlNode node) {
            if (node == null) return List.of(0L);
            List<Long> seeds = new ArrayList<>();
            if (node instanceof ListNode l) {
                if (l.items().isEmpty()) f.problem(l.location(), "seeds: give at least one seed");
                for (YamlNode item : l.items()) {
                    Long v = f.integer(item, "seeds");
                    if (v != null) {
                        if (seeds.contains(v)) f.problem(item.location(), "seeds: seed " + v + " listed twice");
                        else seeds.add(v);
                    }
                }
            } else {
                Long v = f.integer(node, "seeds");
                if (v != null) seeds.add(v);
            }
            return seeds;
        }

        private List<List<String>> readSweep(YamlNode node, Map<String, ModelSpec> models,
                Map<String, StrategySpec> strategies, List<Long> seeds) {
            List<List<String>> groups = new ArrayList<>();
            if (node == null) return groups;
            MapNode m = f.map(node, "sweep");
            if (m == null) return groups;
            f.checkKeys(m, SWEEP_KEYS, "sweep");
            YamlNode zip = m.get("zip");
            if (zip == null) return groups;
            if (!(zip instanceof ListNode zl)) {
                f.problem(zip.location(), "sweep.zip: expected a list of axis groups such as [[model, seed]], found "
                        + zip.kind());
                return groups;
            }
            Set<String> used = new HashSet<>();
            for (YamlNode g : zl.items()) {
                if (!(g instanceof ListNode gl) || gl.items().size() < 2) {
                    f.problem(g.location(), "sweep.zip: each group is a list of at least two axes from " + SWEEP_AXES);
                    continue;
                }
                List<String> axes = new ArrayList<>();
                int length = -1;
                boolean ok = true;
                for (YamlNode a : gl.items()) {
                    String axis = f.string(a, "sweep.zip");
                    if (axis == null) { ok = false; continue; }
                    if (!SWEEP_AXES.contains(axis)) {
                        f.problem(a.location(), "sweep.zip: unknown axis '" + axis + "' (allowed: " + SWEEP_AXES
                                + "; budgets always vary within their strategy)");
                        ok = false;
                        continue;
                    }
                    if (!used.add(axis)) {
                        f.problem(a.location(), "sweep.zip: axis '" + axis + "' appears in more than one place");
                        ok = false;
                        continue;
                    }
                    int size = switch (axis) {
                        case "model" -> models.size();
                        case "strategy" -> strategies.size();
                        default -> seeds.size();
                    };
                    if (length >= 0 && size != length) {
                        f.problem(a.location(), "sweep.zip: zipped axes must have the same length, but " + axes
                                + " has " + length + " values and '" + axis + "' has " + size);
                        ok = false;
                    }
                    length = size;
                    axes.add(axis);
                }
                if (ok) groups.add(axes);
            }
            return groups;
        }

        private Output readOutput(YamlNode node, String name) {
            Path dir = Path.of("results", name == null ? "experiment" : name);
            SaveAudio save = SaveAudio.BEST;
            if (node == null) return new Output(dir, save);
            MapNode m = f.map(node, "output");
            if (m == null) return new Output(dir, save);
            f.checkKeys(m, OUTPUT_KEYS, "output");
            String d = f.optionalString(m, "dir", "output");
            String expanded = d == null ? null : paths.expand(d, m.get("dir").location(), "output.dir", f);
                if (expanded != null) dir = Path.of(expanded);
            String s = f.optionalString(m, "save_audio", "output");
            if (s != null) {
                try {
                    save = SaveAudio.valueOf(s.toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    f.problem(m.get("save_audio").location(), "output.save_audio: unknown value '" + s
                            + "' (allowed: [none, best, all])");
                }
            }
            return new Output(dir, save);
        }

        private List<Integer> budgets(YamlNode node, String where) {
            List<Integer> out = new ArrayList<>();
            if (!(node instanceof ListNode l)) {
                f.problem(node.location(), where + ": expected a list of positive integers such as [1, 2, 4, 8], found "
                        + node.kind() + YamlFields.describe(node));
                return out;
            }
            if (l.items().isEmpty()) f.problem(l.location(), where + ": give at least one budget");
            for (YamlNode item : l.items()) {
                Long v = f.integer(item, where);
                if (v == null) continue;
                if (v < 1 || v > 1 << 20) {
                    f.problem(item.location(), where + ": budget " + v + " must be a positive integer");
                } else if (out.contains(v.intValue())) {
                    f.problem(item.location(), where + ": budget " + v + " listed twice");
                } else {
                    out.add(v.intValue());
                }
            }
            return out;
        }
    }

    private static Set<String> keys(String... names) {
        return new TreeSet<>(List.of(names));
    }
}
