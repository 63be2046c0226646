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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.llasalab.eval.experiment.Experiment.DatasetSpec;
import org.llasalab.eval.experiment.Experiment.ModelSpec;
import org.llasalab.eval.experiment.Experiment.Output;
import org.llasalab.eval.experiment.Experiment.Sampling;
import org.llasalab.eval.experiment.Experiment.SaveAudio;
import org.llasalab.eval.experiment.Experiment.StrategySpec;
import org.llasalab.eval.experiment.Experiment.VerifierSpec;
import org.llasalab.eval.experiment.YamlNode.ListNode;
import org.llasalab.eval.experiment.YamlNode.Location;
import org.llasalab.eval.experiment.YamlNode.MapNode;
import org.llasalab.eval.experiment.YamlNode.Scalar;

/**
 * Reads and validates an experiment YAML file. Every problem (unknown keys, wrong types, unknown
 * strategy or verifier types, missing files) is collected with its line and column and reported at
 * once in one {@link ExperimentException}; nothing is run before the whole file is valid.
 *
 * <p>Relative paths resolve against the YAML file's folder; {@code ${VAR}} and {@code ${VAR:-default}}
 * expand environment variables (e.g. {@code ${LLASA_MODELS:-models}/Llasa-1B}).
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
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Environment environment;
    private final Function<String, String> env;
    private Path file;
    private Path baseDir;
    private List<Problem> problems;

    public ExperimentReader(Environment environment) {
        this(environment, System::getenv);
    }

    /** {@code env} looks up environment variables used in paths (tests pass their own). */
    public ExperimentReader(Environment environment, Function<String, String> env) {
        this.environment = environment;
        this.env = env;
    }

    public synchronized Experiment read(Path yamlFile) throws ExperimentException {
        List<Problem> found = new ArrayList<>();
        YamlNode root = YamlTreeReader.read(yamlFile, found);
        file = yamlFile;
        baseDir = yamlFile.toAbsolutePath().getParent();
        problems = found;
        Experiment experiment = readExperiment(root);
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparing(Problem::location, java.util.Comparator.nullsFirst(
                    java.util.Comparator.comparingInt(YamlNode.Location::line)
                            .thenComparingInt(YamlNode.Location::column))));
            throw new ExperimentException(problems);
        }
        return experiment;
    }

    /** The keys of an experiment embedded in another file: its caller supplies name, models and output. */
    static final Set<String> EMBEDDED_KEYS = keys("dataset", "strategies", "verifiers", "search", "evaluate",
            "sampling", "seeds");

    /**
     * Reads an experiment embedded in another YAML file (the {@code final} block of a study): {@code node}
     * holds the keys of {@link #EMBEDDED_KEYS}, {@code where} names it in messages, and the caller supplies
     * the name, the models (not checked here: they need not exist yet) and the output. Problems are added
     * to {@code found} with the file's lines and columns; the result is meaningful only when none were.
     */
    public synchronized Experiment readEmbedded(Path yamlFile, YamlNode node, String where, String name,
            Map<String, ModelSpec> models, Output output, List<Problem> found) {
        file = yamlFile;
        baseDir = yamlFile.toAbsolutePath().getParent();
        problems = found;
        MapNode top = map(node, where);
        if (top == null) return null;
        checkKeys(top, EMBEDDED_KEYS, where);
        return readBody(top, where, name, models, List.of(), output);
    }

    private Experiment readExperiment(YamlNode root) {
        if (!(root instanceof MapNode top)) {
            problem(root.location(), "the experiment must be a mapping of keys (name, models, dataset, ...), found "
                    + root.kind());
            return null;
        }
        checkKeys(top, TOP_KEYS, "top level");
        String name = require(top, "name", "top level") == null ? null : string(top.get("name"), "name");
        if (name != null && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            problem(top.get("name").location(), "name '" + name + "' must use only letters, digits, '.', '_' and '-'");
        }
        Map<String, ModelSpec> models = readModels(require(top, "models", "top level"));
        return readBody(top, "top level", name, models, null, readOutput(top.get("output"), name));
    }

    /** The sections after name and models; {@code zip} null: read from {@code sweep}. */
    private Experiment readBody(MapNode top, String where, String name, Map<String, ModelSpec> models,
            List<List<String>> zip, Output output) {
        Map<String, VerifierSpec> verifiers = readVerifiers(top.get("verifiers"));
        DatasetSpec dataset = readDataset(require(top, "dataset", where));
        Map<String, StrategySpec> strategies = readStrategies(require(top, "strategies", where),
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
        MapNode map = map(node, "models");
        if (map == null) return out;
        if (map.entries().isEmpty()) problem(map.location(), "models: at least one model is needed");
        for (var e : map.entries().entrySet()) {
            String where = "models." + e.getKey();
            MapNode m = map(e.getValue(), where);
            if (m == null) continue;
            checkKeys(m, MODEL_KEYS, where);
            String source = optionalString(m, "source", where);
            String path = require(m, "path", where) == null ? null : string(m.get("path"), where + ".path");
            Path dir = path == null ? null : resolveModel(path, m.get("path").location(), where, source);
            String codec = null;
            Path codecDir = null;
            YamlNode codecNode = require(m, "codec", where);
            if (codecNode instanceof MapNode cm) {
                checkKeys(cm, CODEC_KEYS, where + ".codec");
                String codecSource = optionalString(cm, "source", where + ".codec");
                codec = require(cm, "path", where + ".codec") == null ? null
                        : string(cm.get("path"), where + ".codec.path");
                if (codec != null) codecDir = resolveCodec(codec, cm.get("path").location(), where, codecSource);
            } else if (codecNode != null) {
                codec = string(codecNode, where + ".codec");
                if (codec != null) codecDir = resolveCodec(codec, codecNode.location(), where, null);
            }
            String dtype = optionalString(m, "dtype", where);
            if (dtype != null && !DTYPES.contains(dtype)) {
                problem(m.get("dtype").location(), where + ".dtype: unknown dtype '" + dtype + "' (allowed: "
                        + DTYPES + ")");
            }
            String quantize = optionalString(m, "quantize", where);
            if (quantize != null && !QUANTIZATIONS.contains(quantize)) {
                problem(m.get("quantize").location(), where + ".quantize: unknown quantization '" + quantize
                        + "' (allowed: " + QUANTIZATIONS + ")");
            }
            // none is the default: left out, so that the cells of a file without the key keep their ids
            if ("none".equals(quantize)) quantize = null;
            out.put(e.getKey(), new ModelSpec(e.getKey(), path, dir, codec, codecDir, dtype, quantize));
        }
        return out;
    }

    private Path resolveModel(String path, Location at, String where, String source) {
        if (environment.models().containsKey(path)) {
            return environment.models().get(path);
        }
        Path dir = resolvePath(path, at, where + ".path");
        if (dir == null) return null;
        if (!Files.isDirectory(dir)) {
            boolean shortName = !path.contains("/") && !path.contains("\\") && source == null;
            problem(at, where + ".path: " + (shortName ? "'" + path + "' is neither a catalogue model "
                    + environment.models().keySet() + " (the micro world lists its models once they are trained)"
                    + " nor a model folder (" + dir + ")" : "model folder " + dir + " not found" + download(source)));
        } else if (!Files.isRegularFile(dir.resolve("config.json"))) {
            problem(at, where + ".path: " + dir + " is not a model folder (no config.json)" + download(source));
        }
        return dir;
    }

    private Path resolveCodec(String codec, Location at, String where, String source) {
        if (environment.codecs().containsKey(codec)) {
            return environment.codecs().get(codec);
        }
        Path dir = resolvePath(codec, at, where + ".codec");
        if (dir == null) return null;
        if (!Files.isDirectory(dir)) {
            boolean shortName = !codec.contains("/") && !codec.contains("\\") && source == null;
            problem(at, where + ".codec: " + (shortName ? "'" + codec + "' is neither a catalogue codec "
                    + environment.codecs().keySet() + " nor a codec folder (" + dir + ")"
                    : "codec folder " + dir + " not found" + download(source)));
        }
        return dir;
    }

    private static String download(String source) {
        return source == null ? ""
                : "; download " + source + " there (e.g. `huggingface-cli download " + source
                        + " --local-dir <that folder>`), or set LLASA_MODELS to the folder that holds it";
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
            MapNode m = map(node, "dataset");
            if (m == null) return null;
            checkKeys(m, DATASET_KEYS, "dataset");
            name = optionalString(m, "name", "dataset");
            path = optionalString(m, "path", "dataset");
            source = optionalString(m, "source", "dataset");
            if (m.get("path") != null) pathAt = m.get("path").location();
            if (m.get("name") != null) pathAt = m.get("name").location();
            if (m.get("limit") != null) {
                Long l = integer(m.get("limit"), "dataset.limit");
                if (l != null && l < 0) problem(m.get("limit").location(), "dataset.limit must be >= 0, found " + l);
                limit = l == null ? 0 : (int) Math.max(0, l);
            }
            if ((name == null) == (path == null)) {
                problem(m.location(), "dataset: give exactly one of 'name' (" + environment.datasets().keySet()
                        + ") or 'path' (a seed-tts-eval meta.lst)");
                return null;
            }
        }
        if (name != null) {
            Path known = environment.datasets().get(name);
            if (known == null) {
                problem(pathAt, "dataset: unknown dataset '" + name + "' (allowed: " + environment.datasets().keySet()
                        + ", or {path: <meta.lst>})");
                return null;
            }
            return new DatasetSpec(name, known, limit);
        }
        Path list = resolvePath(path, pathAt, "dataset.path");
        if (list != null && !Files.isRegularFile(list)) {
            problem(pathAt, "dataset.path: test list " + list + " not found"
                    + (source == null ? "" : "; download " + source + " and point dataset.path at its meta.lst"));
        }
        return new DatasetSpec(null, list, limit);
    }

    private Map<String, VerifierSpec> readVerifiers(YamlNode node) {
        Map<String, VerifierSpec> out = new LinkedHashMap<>();
        if (node == null) return out;
        MapNode map = map(node, "verifiers");
        if (map == null) return out;
        for (var e : map.entries().entrySet()) {
            String where = "verifiers." + e.getKey();
            MapNode m = map(e.getValue(), where);
            if (m == null) continue;
            checkKeys(m, VERIFIER_KEYS, where);
            String type = require(m, "type", where) == null ? null : string(m.get("type"), where + ".type");
            if (type != null && !environment.verifierTypes().contains(type)) {
                problem(m.get("type").location(), where + ".type: unknown verifier type '" + type + "' (allowed: "
                        + environment.verifierTypes() + ")");
            }
            String source = optionalString(m, "source", where);
            Map<String, Object> params = new LinkedHashMap<>();
            if (m.get("params") != null) {
                MapNode p = map(m.get("params"), where + ".params");
                if (p != null) {
                    params = plainMap(p);
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
            Path file = resolvePath(raw, sc.location(), where + "." + key);
            if (file == null) continue;
            params.put(key, file.toString());
            if (!Files.exists(file)) {
                problem(sc.location(), where + "." + key + ": " + file + " not found"
                        + (source == null ? "" : "; download " + source + " there, or set LLASA_MODELS"));
            }
        }
    }

    private Map<String, StrategySpec> readStrategies(YamlNode node, YamlNode searchNode,
            Map<String, VerifierSpec> verifiers) {
        Map<String, StrategySpec> out = new LinkedHashMap<>();
        MapNode map = map(node, "strategies");
        if (map == null) return out;
        if (map.entries().isEmpty()) problem(map.location(), "strategies: at least one strategy is needed");
        // search: a verifier name or list (all strategies), or a mapping strategy -> verifier name(s).
        List<String> globalGuides = List.of();
        Map<String, List<String>> perStrategy = new LinkedHashMap<>();
        if (searchNode instanceof MapNode sm) {
            for (var e : sm.entries().entrySet()) {
                if (!map.entries().containsKey(e.getKey())) {
                    problem(sm.keyLocation(e.getKey()), "search: unknown strategy '" + e.getKey() + "' (allowed: "
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
            MapNode m = map(e.getValue(), where);
            if (m == null) continue;
            String type = require(m, "type", where) == null ? null : string(m.get("type"), where + ".type");
            Set<String> allowed = type == null ? null : environment.strategyTypes().get(type);
            if (type != null && allowed == null) {
                problem(m.get("type").location(), where + ".type: unknown strategy type '" + type + "' (allowed: "
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
                    case VOICE_PROMPT_KEY -> voicePrompt = bool(p.getValue(), where + "." + VOICE_PROMPT_KEY, true);
                    case Environment.BUDGET_PARAMETER_KEY -> {
                        String b = string(p.getValue(), where + "." + p.getKey());
                        if (b != null && allowed != null && !allowed.contains(b)) {
                            problem(p.getValue().location(), where + "." + p.getKey() + ": '" + b
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
                            problem(m.keyLocation(p.getKey()), where + ": unknown key '" + p.getKey()
                                    + "' for strategy type '" + type + "' (allowed: " + all + ")");
                            paramsOk = false;
                        }
                        params.put(p.getKey(), p.getValue().toPlain());
                    }
                }
            }
            if (m.get("budgets") == null) {
                problem(m.location(), where + ": missing key 'budgets' (a list of positive integers, e.g. [1, 2, 4, 8])");
            } else if (allowed != null && budgetParameter == null && budgets.stream().anyMatch(b -> b != 1)) {
                problem(m.get("budgets").location(), where + ".budgets: strategy type '" + type
                        + "' has no budget parameter, so its only budget is 1 (write budgets: [1])");
            }
            if (budgetParameter != null && params.containsKey(budgetParameter)) {
                problem(m.keyLocation(budgetParameter), where + ": '" + budgetParameter
                        + "' is set by each cell's budget; remove it or choose another budget_parameter");
                paramsOk = false;
            }
            if (paramsOk && environment.strategyCheck() != null) {
                for (int b : budgets.isEmpty() ? List.of(1) : budgets) {
                    Map<String, Object> withBudget = new LinkedHashMap<>(params);
                    if (budgetParameter != null) withBudget.put(budgetParameter, b);
                    String error = environment.strategyCheck().apply(type, withBudget);
                    if (error != null) {
                        problem(m.location(), where + (budgetParameter == null ? "" : " at budget " + b) + ": " + error);
                        break;
                    }
                }
            }
            List<String> guides = perStrategy.getOrDefault(e.getKey(), globalGuides);
            boolean named = searchNode instanceof MapNode sm ? sm.entries().containsKey(e.getKey()) : searchNode != null;
            if (type != null && environment.budgetParameters().containsKey(type) && guides.isEmpty() && !named) {
                problem(m.location(), where + ": strategy type '" + type + "' chooses among candidates and needs a"
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
            String name = string(item, where);
            if (name == null) continue;
            if (!verifiers.containsKey(name)) {
                problem(item.location(), where + ": unknown verifier '" + name + "' (allowed: " + verifiers.keySet()
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
            if (!seen.add(n)) problem(node.location(), "evaluate: verifier '" + n + "' listed twice");
        }
        return List.copyOf(new LinkedHashSet<>(names));
    }

    private Sampling readSampling(YamlNode node) {
        Sampling d = Sampling.DEFAULT;
        if (node == null) return d;
        MapNode m = map(node, "sampling");
        if (m == null) return d;
        checkKeys(m, SAMPLING_KEYS, "sampling");
        double temperature = number(m, "temperature", d.temperature(), 0, Double.MAX_VALUE, "sampling");
        double topP = number(m, "top_p", d.topP(), Double.MIN_VALUE, 1, "sampling");
        double minP = number(m, "min_p", d.minP(), 0, 0.999999, "sampling");
        double penalty = number(m, "repetition_penalty", d.repetitionPenalty(), Double.MIN_VALUE, Double.MAX_VALUE,
                "sampling");
        int topK = (int) integerIn(m, "top_k", d.topK(), 0, Integer.MAX_VALUE, "sampling");
        int maxTokens = (int) integerIn(m, "max_tokens", d.maxTokens(), 1, 1 << 20, "sampling");
        return new Sampling(temperature, topP, topK, minP, penalty, maxTokens);
    }

    private List<Long> readSeeds(YamlNode node) {
        if (node == null) return List.of(0L);
        List<Long> seeds = new ArrayList<>();
        if (node instanceof ListNode l) {
            if (l.items().isEmpty()) problem(l.location(), "seeds: give at least one seed");
            for (YamlNode item : l.items()) {
                Long v = integer(item, "seeds");
                if (v != null) {
                    if (seeds.contains(v)) problem(item.location(), "seeds: seed " + v + " listed twice");
                    else seeds.add(v);
                }
            }
        } else {
            Long v = integer(node, "seeds");
            if (v != null) seeds.add(v);
        }
        return seeds;
    }

    private List<List<String>> readSweep(YamlNode node, Map<String, ModelSpec> models,
            Map<String, StrategySpec> strategies, List<Long> seeds) {
        List<List<String>> groups = new ArrayList<>();
        if (node == null) return groups;
        MapNode m = map(node, "sweep");
        if (m == null) return groups;
        checkKeys(m, SWEEP_KEYS, "sweep");
        YamlNode zip = m.get("zip");
        if (zip == null) return groups;
        if (!(zip instanceof ListNode zl)) {
            problem(zip.location(), "sweep.zip: expected a list of axis groups such as [[model, seed]], found "
                    + zip.kind());
            return groups;
        }
        Set<String> used = new HashSet<>();
        for (YamlNode g : zl.items()) {
            if (!(g instanceof ListNode gl) || gl.items().size() < 2) {
                problem(g.location(), "sweep.zip: each group is a list of at least two axes from " + SWEEP_AXES);
                continue;
            }
            List<String> axes = new ArrayList<>();
            int length = -1;
            boolean ok = true;
            for (YamlNode a : gl.items()) {
                String axis = string(a, "sweep.zip");
                if (axis == null) { ok = false; continue; }
                if (!SWEEP_AXES.contains(axis)) {
                    problem(a.location(), "sweep.zip: unknown axis '" + axis + "' (allowed: " + SWEEP_AXES
                            + "; budgets always vary within their strategy)");
                    ok = false;
                    continue;
                }
                if (!used.add(axis)) {
                    problem(a.location(), "sweep.zip: axis '" + axis + "' appears in more than one place");
                    ok = false;
                    continue;
                }
                int size = switch (axis) {
                    case "model" -> models.size();
                    case "strategy" -> strategies.size();
                    default -> seeds.size();
                };
                if (length >= 0 && size != length) {
                    problem(a.location(), "sweep.zip: zipped axes must have the same length, but " + axes
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
        MapNode m = map(node, "output");
        if (m == null) return new Output(dir, save);
        checkKeys(m, OUTPUT_KEYS, "output");
        String d = optionalString(m, "dir", "output");
        if (d != null) dir = Path.of(expand(d, m.get("dir").location(), "output.dir"));
        String s = optionalString(m, "save_audio", "output");
        if (s != null) {
            try {
                save = SaveAudio.valueOf(s.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem(m.get("save_audio").location(), "output.save_audio: unknown value '" + s
                        + "' (allowed: [none, best, all])");
            }
        }
        return new Output(dir, save);
    }

    // ---- typed access ----

    private void checkKeys(MapNode m, Set<String> allowed, String where) {
        for (String key : m.entries().keySet()) {
            if (!allowed.contains(key)) {
                problem(m.keyLocation(key), where + ": unknown key '" + key + "' (allowed: " + allowed + ")");
            }
        }
    }

    private YamlNode require(MapNode m, String key, String where) {
        YamlNode v = m.get(key);
        if (v == null) problem(m.location(), where + ": missing key '" + key + "'");
        return v;
    }

    private MapNode map(YamlNode node, String where) {
        if (node == null) return null;
        if (node instanceof MapNode m) return m;
        problem(node.location(), where + ": expected a mapping (key: value lines), found " + node.kind()
                + describe(node));
        return null;
    }

    private String string(YamlNode node, String where) {
        if (node instanceof Scalar s && s.value() instanceof String text) return text;
        problem(node.location(), where + ": expected a string, found " + node.kind() + describe(node));
        return null;
    }

    private String optionalString(MapNode m, String key, String where) {
        YamlNode v = m.get(key);
        return v == null ? null : string(v, where + "." + key);
    }

    private Long integer(YamlNode node, String where) {
        if (node instanceof Scalar s && s.value() instanceof Long l) return l;
        problem(node.location(), where + ": expected an integer, found " + node.kind() + describe(node));
        return null;
    }

    private boolean bool(YamlNode node, String where, boolean dflt) {
        if (node instanceof Scalar s && s.value() instanceof Boolean b) return b;
        problem(node.location(), where + ": expected true or false, found " + node.kind() + describe(node));
        return dflt;
    }

    private long integerIn(MapNode m, String key, long dflt, long min, long max, String where) {
        YamlNode v = m.get(key);
        if (v == null) return dflt;
        Long l = integer(v, where + "." + key);
        if (l == null) return dflt;
        if (l < min || l > max) {
            problem(v.location(), where + "." + key + ": " + l + " is out of range [" + min + ", " + max + "]");
            return dflt;
        }
        return l;
    }

    private double number(MapNode m, String key, double dflt, double min, double max, String where) {
        YamlNode v = m.get(key);
        if (v == null) return dflt;
        if (v instanceof Scalar s && s.value() instanceof Number n) {
            double d = n.doubleValue();
            if (!(d >= min && d <= max)) {
                problem(v.location(), where + "." + key + ": " + s.text() + " is out of range");
                return dflt;
            }
            return d;
        }
        problem(v.location(), where + "." + key + ": expected a number, found " + v.kind() + describe(v));
        return dflt;
    }

    private List<Integer> budgets(YamlNode node, String where) {
        List<Integer> out = new ArrayList<>();
        if (!(node instanceof ListNode l)) {
            problem(node.location(), where + ": expected a list of positive integers such as [1, 2, 4, 8], found "
                    + node.kind() + describe(node));
            return out;
        }
        if (l.items().isEmpty()) problem(l.location(), where + ": give at least one budget");
        for (YamlNode item : l.items()) {
            Long v = integer(item, where);
            if (v == null) continue;
            if (v < 1 || v > 1 << 20) {
                problem(item.location(), where + ": budget " + v + " must be a positive integer");
            } else if (out.contains(v.intValue())) {
                problem(item.location(), where + ": budget " + v + " listed twice");
            } else {
                out.add(v.intValue());
            }
        }
        return out;
    }

    private static Map<String, Object> plainMap(MapNode m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) m.toPlain();
        return plain;
    }

    private Path resolvePath(String raw, Location at, String where) {
        String expanded = expand(raw, at, where);
        if (expanded == null) return null;
        Path p = Path.of(expanded);
        return (p.isAbsolute() ? p : baseDir.resolve(p)).normalize();
    }

    private String expand(String raw, Location at, String where) {
        Matcher m = VARIABLE.matcher(raw);
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null || value.isEmpty()) value = m.group(2);
            if (value == null) {
                problem(at, where + ": environment variable " + m.group(1) + " is not set (write ${" + m.group(1)
                        + ":-default} to give a default)");
                ok = false;
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return ok ? out.toString() : null;
    }

    private static String describe(YamlNode node) {
        return node instanceof Scalar s && s.text() != null && !s.text().isEmpty() ? " '" + s.text() + "'" : "";
    }

    private void problem(Location at, String message) {
        problems.add(new Problem(file, at, message));
    }

    private static Set<String> keys(String... names) {
        return new java.util.TreeSet<>(List.of(names));
    }
}
