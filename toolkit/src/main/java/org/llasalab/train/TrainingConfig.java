package org.llasalab.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.llasalab.io.yaml.Problem;
import org.llasalab.io.yaml.YamlException;
import org.llasalab.io.yaml.YamlFields;
import org.llasalab.io.yaml.YamlNode;
import org.llasalab.io.yaml.YamlNode.ListNode;
import org.llasalab.io.yaml.YamlNode.MapNode;
import org.llasalab.io.yaml.YamlTree;
import org.llasalab.lm.prompt.PromptTemplate;

/**
 * A training run described in YAML, validated before any work: unknown keys, wrong types, out-of-range values
 * and missing files are errors naming the file, line and key path, all reported at once (read with the shared
 * {@link YamlFields}). Relative paths are resolved against the YAML file's folder.
 *
 * <pre>
 * model:   {hidden, layers, heads, kv_heads, intermediate, rope_theta, rms_eps, tied_embeddings, max_positions}
 * data:    {cache, corpus, codec, frontend, symbols, pairs_fraction, heldout_fraction, heldout_sequences, template}
 * train:   {speech_tokens, batch, batch_tokens, batch_attention (cap on sequences x length^2), buckets,
 *           learning_rate, warmup_steps, schedule (cosine | constant | wsd), final_lr_fraction,
 *           decay_fraction (wsd only, default 0.2), weight_decay, clip_norm, beta1, beta2, seed, init_std,
 *           log_interval, eval_interval, checkpoint_interval, keep_checkpoints}
 * output:  folder for train.log, loss.csv, checkpoints/, tokenizer/, model/ (the export)
 * threads: OpenMP threads of the native backend (default 1)
 * native:  ND4J native build: generic, avx2 or onednn-avx2 (default: the measured fastest)
 * export_dtype: bf16 | f32 | f16 (default bf16)
 * </pre>
 */
public record TrainingConfig(Path file, ModelShape shape, Data data, TrainerSettings settings, Path output, int threads,
                             String nativeBuild, String exportDtype) {

    /** The same run on {@code n} native threads (threads change the speed, not what is trained). */
    public TrainingConfig withThreads(int n) {
        return new TrainingConfig(file, shape, data, settings, output, n, nativeBuild, exportDtype);
    }

    /**
     * Data settings. {@code cache} is the utterance cache (built from {@code corpus} when missing);
     * {@code symbols} an optional symbol inventory file (one per line) for the vocabulary.
     */
    public record Data(Path cache, Path corpus, String codec, String frontend, Path symbols, double pairsFraction,
                       double heldoutFraction, int heldoutSequences, PromptTemplate template) {}

    private static final Set<String> TOP = Set.of("model", "data", "train", "output", "threads", "native", "export_dtype");
    private static final Set<String> MODEL = Set.of("hidden", "layers", "heads", "kv_heads", "intermediate", "rope_theta",
            "rms_eps", "tied_embeddings", "max_positions");
    private static final Set<String> DATA = Set.of("cache", "corpus", "codec", "frontend", "symbols", "pairs_fraction",
            "heldout_fraction", "heldout_sequences", "template");
    private static final Set<String> TRAIN = Set.of(
            "speech_tokens", "batch", "batch_tokens", "batch_attention", "buckets", "learning_rate", "warmup_steps",
            "schedule", "final_lr_fraction", "decay_fraction", "weight_decay", "clip_norm", "beta1", "beta2", "seed",
            "init_std", "log_interval", "eval_interval", "checkpoint_interval", "keep_checkpoints");
    public static final Set<String> NATIVE_BUILDS = Set.of("generic", "avx2", "onednn-avx2");

    public static TrainingConfig load(Path file) throws IOException {
        return load(file, true);
    }

    /**
     * Parses and validates {@code file}; {@code checkFiles} false skips the checks that data files exist.
     * A file that cannot be read or parsed fails with an {@link IOException}; every problem of a parsed file
     * is reported at once in one {@link IllegalArgumentException}, a line each ({@code run.yaml:15:
     * train.batch: expected an integer, found a string 'four'}).
     */
    public static TrainingConfig load(Path file, boolean checkFiles) throws IOException {
        YamlNode tree;
        List<Problem> problems = new ArrayList<>();
        try {
            tree = YamlTree.read(file, problems);
        } catch (YamlException e) {
            Problem p = e.problems().getFirst();
            if (!Files.exists(file)) throw new IOException(file + ": no such configuration file");
            throw new IOException(line(p));
        }
        if (!(tree instanceof MapNode root)) {
            throw new IOException(file + ": expected a mapping of settings at the top level, found " + tree.kind());
        }
        YamlFields f = new YamlFields(file, problems);
        TrainingConfig config = new Reader(file, f, root, checkFiles).config();
        if (f.hasProblems()) {
            throw new IllegalArgumentException(String.join("\n", f.problems().stream().map(TrainingConfig::line).toList()));
        }
        return config;
    }

    /** A problem as {@code file:line: message} (the column left out: a setting is one line). */
    private static String line(Problem p) {
        return p.file() + (p.location() == null ? "" : ":" + p.location().line()) + ": "
                + org.llasalab.io.Printable.of(p.message());
    }

    /** One read of one training YAML; problems go to {@code f}, and what they leave unread gets its default. */
    private record Reader(Path file, YamlFields f, MapNode root, boolean checkFiles) {
        TrainingConfig config() {
            f.checkKeys(root, TOP, "top level");
            MapNode m = section("model");
            MapNode d = section("data");
            MapNode t = section("train");
            // a missing section is one problem, not one per key it should hold
            ModelShape shape = m == null ? null : shape(m);
            Data data = d == null ? null : data(d);
            TrainerSettings settings = t == null ? null : settings(t);
            Path output = path(root, "output", "", false);
            if (!root.entries().containsKey("output")) {
                f.problem(root.location(), "output: missing (the folder for logs, checkpoints and the export)");
            }
            String nativeBuild = f.string(root, "native", NativeBackend.DEFAULT_BUILD, "");
            if (!NATIVE_BUILDS.contains(nativeBuild)) {
                problem(root, "", "native", "expected one of " + NATIVE_BUILDS + ", got '" + nativeBuild + "'");
            }
            String dtype = f.string(root, "export_dtype", "bf16", "").toLowerCase(Locale.ROOT);
            if (!Set.of("bf16", "f32", "f16").contains(dtype)) {
                problem(root, "", "export_dtype", "expected bf16, f16 or f32, got '" + dtype + "'");
            }
            int threads = (int) f.wholeNumberIn(root, "threads", 1, 1, 256, "");
            if (f.hasProblems()) return null;
            return new TrainingConfig(file, shape, data, settings, output, threads, nativeBuild, dtype);
        }

        private ModelShape shape(MapNode m) {
            f.checkKeys(m, MODEL, "model");
            int hidden = required(m, "hidden", 8, 1 << 16, "model");
            int heads = required(m, "heads", 1, 1024, "model");
            int layers = required(m, "layers", 1, 1024, "model");
            int intermediate = required(m, "intermediate", 1, 1 << 20, "model");
            int kvHeads = (int) f.wholeNumberIn(m, "kv_heads", heads, 1, 1024, "model");
            double ropeTheta = f.number(m, "rope_theta", 10000.0, 1, 1e9, "model");
            double rmsEps = f.number(m, "rms_eps", 1e-5, 1e-12, 1, "model");
            boolean tied = f.bool(m, "tied_embeddings", true, "model");
            int maxPositions = (int) f.wholeNumberIn(m, "max_positions", 2048, 2, 1 << 20, "model");
            if (f.hasProblems()) return null;
            try {
                return new ModelShape(1, hidden, layers, heads, kvHeads, intermediate, ropeTheta, rmsEps, tied,
                        maxPositions);
            } catch (IllegalArgumentException e) {
                problem(root, "", "model", e.getMessage());
                return null;
            }
        }

        private Data data(MapNode d) {
            f.checkKeys(d, DATA, "data");
            Path cache = path(d, "cache", "data", false);
            Path corpus = path(d, "corpus", "data", false);
            if (cache == null && !d.entries().containsKey("cache")) {
                problem(root, "", "data", "needs 'cache' (the utterance cache, built from 'corpus' when missing)");
            }
            if (checkFiles && cache != null && !Files.isRegularFile(cache)) {
                if (corpus == null) {
                    problem(d, "data", "cache", "no such file: " + cache + " (and no 'corpus' to build it from)");
                } else if (!Files.isDirectory(corpus)) {
                    problem(d, "data", "corpus", "no such folder: " + corpus);
                }
            }
            Path symbols = path(d, "symbols", "data", checkFiles);
            String templateName = f.string(d, "template", "default", "data");
            PromptTemplate template = switch (templateName) {
                case "default" -> PromptTemplate.DEFAULT;
                case "no-system" -> PromptTemplate.NO_SYSTEM;
                default -> {
                    problem(d, "data", "template", "expected 'default' or 'no-system', got '" + templateName + "'");
                    yield PromptTemplate.DEFAULT;
                }
            };
            return new Data(cache, corpus, f.string(d, "codec", "micro", "data"),
                    f.string(d, "frontend", "micro-phonemes", "data"), symbols,
                    f.number(d, "pairs_fraction", 0.5, 0, 1, "data"), f.number(d, "heldout_fraction", 0.02, 0, 0.5, "data"),
                    (int) f.wholeNumberIn(d, "heldout_sequences", 128, 1, 1 << 20, "data"), template);
        }

        private TrainerSettings settings(MapNode t) {
            f.checkKeys(t, TRAIN, "train");
            String schedule = f.string(t, "schedule", "cosine", "train");
            if (!Set.of("cosine", "constant", "wsd").contains(schedule)) {
                problem(t, "train", "schedule", "expected 'cosine', 'constant' or 'wsd', got '" + schedule + "'");
                schedule = "cosine";
            }
            if (t.entries().containsKey("decay_fraction") && !schedule.equals("wsd")) {
                problem(t, "train", "decay_fraction", "only a 'wsd' schedule has a decay fraction (schedule is '" + schedule + "')");
            }
            List<Integer> buckets = buckets(t);
            long speechTokens = f.require(t, "speech_tokens", "train") == null ? 1
                    : f.wholeNumberIn(t, "speech_tokens", 1, 1, Long.MAX_VALUE, "train");
            int batch = (int) f.wholeNumberIn(t, "batch", 16, 1, 4096, "train");
            int batchTokens = (int) f.wholeNumberIn(t, "batch_tokens", 0, 0, 1 << 24, "train");
            long batchAttention = f.wholeNumberIn(t, "batch_attention", 0, 0, Long.MAX_VALUE, "train");
            double learningRate = f.number(t, "learning_rate", 1e-3, 1e-8, 1, "train");
            long warmup = f.wholeNumberIn(t, "warmup_steps", 200, 0, Long.MAX_VALUE, "train");
            double finalLr = f.number(t, "final_lr_fraction", 0.1, 0, 1, "train");
            double decay = f.number(t, "decay_fraction", 0.2, 1e-6, 1, "train");
            double weightDecay = f.number(t, "weight_decay", 0.1, 0, 10, "train");
            double clipNorm = f.number(t, "clip_norm", 1.0, 0, 1e6, "train");
            double beta1 = f.number(t, "beta1", 0.9, 0, 0.9999999, "train");
            double beta2 = f.number(t, "beta2", 0.95, 0, 0.9999999, "train");
            int logInterval = (int) f.wholeNumberIn(t, "log_interval", 10, 1, 1 << 30, "train");
            int evalInterval = (int) f.wholeNumberIn(t, "eval_interval", 200, 1, 1 << 30, "train");
            int checkpointInterval = (int) f.wholeNumberIn(t, "checkpoint_interval", 200, 1, 1 << 30, "train");
            int keep = (int) f.wholeNumberIn(t, "keep_checkpoints", 2, 1, 1000, "train");
            long seed = f.wholeNumberIn(t, "seed", 1234, Long.MIN_VALUE, Long.MAX_VALUE, "train");
            double initStd = f.number(t, "init_std", 0.02, 1e-6, 10, "train");
            if (f.hasProblems()) return null;
            try {
                var batching = new TrainerSettings.Batching(batch, buckets, batchTokens, batchAttention);
                var optimiser = new TrainerSettings.Optimiser(learningRate, warmup,
                        LearningRateSchedule.Shape.valueOf(schedule.toUpperCase(Locale.ROOT)), finalLr, decay,
                        weightDecay, clipNorm, beta1, beta2);
                var cadence = new TrainerSettings.Cadence(logInterval, evalInterval, checkpointInterval, keep);
                return new TrainerSettings(speechTokens, seed, initStd, batching, optimiser, cadence);
            } catch (IllegalArgumentException e) {
                problem(root, "", "train", e.getMessage());
                return null;
            }
        }

        /** The ascending length buckets, each >= 2. */
        private List<Integer> buckets(MapNode t) {
            YamlNode node = t.get("buckets");
            if (node == null || YamlFields.isNull(node)) return List.of(128, 256, 384, 512, 768, 1024);
            ListNode list = f.list(node, "train.buckets", "a non-empty list of integers");
            if (list == null) return List.of();
            if (list.items().isEmpty()) f.problem(list.location(), "train.buckets: expected a non-empty list of integers");
            List<Integer> out = new ArrayList<>();
            for (YamlNode item : list.items()) {
                Long v = f.integer(item, "train.buckets");
                if (v == null) continue;
                if (v < 2 || v > Integer.MAX_VALUE) {
                    f.problem(item.location(), "train.buckets: expected integers >= 2, got " + v);
                } else if (!out.isEmpty() && v <= out.getLast()) {
                    f.problem(item.location(), "train.buckets: must be ascending");
                } else {
                    out.add(v.intValue());
                }
            }
            return out;
        }

        /** The mapping at top-level {@code key}; null, with a problem, when missing or not a mapping. */
        private MapNode section(String key) {
            return f.map(f.require(root, key, "top level"), key);
        }

        /** A required integer in [min, max]; {@code min}, with a problem, when missing or wrong. */
        private int required(MapNode m, String key, long min, long max, String where) {
            if (f.require(m, key, where) == null) return (int) min;
            return (int) f.wholeNumberIn(m, key, min, min, max, where);
        }

        /** A path relative to the YAML's folder; {@code mustExist} checks that the file exists. */
        private Path path(MapNode m, String key, String where, boolean mustExist) {
            String s = f.string(m, key, null, where);
            if (s == null) return null;
            if (s.isBlank()) {
                problem(m, where, key, "empty path");
                return null;
            }
            Path p = file.toAbsolutePath().getParent().resolve(s).normalize();
            if (mustExist && !Files.exists(p)) problem(m, where, key, "no such file: " + p);
            return p;
        }

        /** A problem with the value of {@code key} in {@code m} (at {@code where}), at the key, named by its path. */
        private void problem(MapNode m, String where, String key, String message) {
            f.problem(m.keyLocation(key), YamlFields.path(where, key) + ": " + message);
        }
    }
}
