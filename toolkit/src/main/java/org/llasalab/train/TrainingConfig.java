package org.llasalab.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.llasalab.lm.prompt.PromptTemplate;

/**
 * A training run described in YAML, validated before any work: unknown keys, wrong types, out-of-range values
 * and missing files are errors naming the file and line. Relative paths are resolved against the YAML file's
 * folder.
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

    /** Parses and validates {@code file}; {@code checkFiles} false skips the checks that data files exist. */
    public static TrainingConfig load(Path file, boolean checkFiles) throws IOException {
        YamlDocument doc = YamlDocument.read(file);
        Reader r = new Reader(doc);
        JsonNode root = doc.root();
        doc.rejectUnknown("", root, TOP);
        JsonNode m = r.section(root, "model", true);
        JsonNode d = r.section(root, "data", true);
        JsonNode t = r.section(root, "train", true);
        doc.rejectUnknown("model", m, MODEL);
        doc.rejectUnknown("data", d, DATA);
        doc.rejectUnknown("train", t, TRAIN);

        int hidden = r.integer(m, "model.hidden", null, 8, 1 << 16);
        int heads = r.integer(m, "model.heads", null, 1, 1024);
        int maxPositions = r.integer(m, "model.max_positions", 2048, 2, 1 << 20);
        ModelShape shape;
        try {
            shape = new ModelShape(1, hidden, r.integer(m, "model.layers", null, 1, 1024), heads,
                    r.integer(m, "model.kv_heads", heads, 1, 1024), r.integer(m, "model.intermediate", null, 1, 1 << 20),
                    r.number(m, "model.rope_theta", 10000.0, 1, 1e9), r.number(m, "model.rms_eps", 1e-5, 1e-12, 1),
                    r.bool(m, "model.tied_embeddings", true), maxPositions);
        } catch (IllegalArgumentException e) {
            throw doc.error("model", e.getMessage());
        }

        Path base = file.toAbsolutePath().getParent();
        Path cache = r.path(d, "data.cache", base, false);
        Path corpus = r.path(d, "data.corpus", base, false);
        if (cache == null) throw doc.error("data", "needs 'cache' (the utterance cache, built from 'corpus' when missing)");
        if (checkFiles && !Files.isRegularFile(cache)) {
            if (corpus == null) throw doc.error("data.cache", "no such file: " + cache + " (and no 'corpus' to build it from)");
            if (!Files.isDirectory(corpus)) throw doc.error("data.corpus", "no such folder: " + corpus);
        }
        Path symbols = r.path(d, "data.symbols", base, checkFiles);
        String templateName = r.text(d, "data.template", "default");
        PromptTemplate template = switch (templateName) {
            case "default" -> PromptTemplate.DEFAULT;
            case "no-system" -> PromptTemplate.NO_SYSTEM;
            default -> throw doc.error("data.template", "expected 'default' or 'no-system', got '" + templateName + "'");
        };
        Data data = new Data(cache, corpus, r.text(d, "data.codec", "micro"), r.text(d, "data.frontend", "micro-phonemes"), symbols,
                r.number(d, "data.pairs_fraction", 0.5, 0, 1), r.number(d, "data.heldout_fraction", 0.02, 0, 0.5),
                r.integer(d, "data.heldout_sequences", 128, 1, 1 << 20), template);

        String schedule = r.text(t, "train.schedule", "cosine");
        if (!Set.of("cosine", "constant", "wsd").contains(schedule)) {
            throw doc.error("train.schedule", "expected 'cosine', 'constant' or 'wsd', got '" + schedule + "'");
        }
        if (t != null && t.has("decay_fraction") && !schedule.equals("wsd")) {
            throw doc.error("train.decay_fraction", "only a 'wsd' schedule has a decay fraction (schedule is '" + schedule + "')");
        }
        int[] buckets = r.intList(t, "train.buckets", new int[] {128, 256, 384, 512, 768, 1024});
        TrainerSettings settings;
        try {
            var batching = new TrainerSettings.Batching(r.integer(t, "train.batch", 16, 1, 4096),
                    java.util.Arrays.stream(buckets).boxed().toList(),
                    r.integer(t, "train.batch_tokens", 0, 0, 1 << 24), r.longValue(t, "train.batch_attention", 0L, 0, Long.MAX_VALUE));
            var optimiser = new TrainerSettings.Optimiser(r.number(t, "train.learning_rate", 1e-3, 1e-8, 1),
                    r.longValue(t, "train.warmup_steps", 200L, 0, Long.MAX_VALUE),
                    LearningRateSchedule.Shape.valueOf(schedule.toUpperCase(Locale.ROOT)),
                    r.number(t, "train.final_lr_fraction", 0.1, 0, 1), r.number(t, "train.decay_fraction", 0.2, 1e-6, 1),
                    r.number(t, "train.weight_decay", 0.1, 0, 10), r.number(t, "train.clip_norm", 1.0, 0, 1e6),
                    r.number(t, "train.beta1", 0.9, 0, 0.9999999), r.number(t, "train.beta2", 0.95, 0, 0.9999999));
            var cadence = new TrainerSettings.Cadence(r.integer(t, "train.log_interval", 10, 1, 1 << 30),
                    r.integer(t, "train.eval_interval", 200, 1, 1 << 30), r.integer(t, "train.checkpoint_interval", 200, 1, 1 << 30),
                    r.integer(t, "train.keep_checkpoints", 2, 1, 1000));
            settings = new TrainerSettings(r.longValue(t, "train.speech_tokens", null, 1, Long.MAX_VALUE),
                    r.longValue(t, "train.seed", 1234L, Long.MIN_VALUE, Long.MAX_VALUE), r.number(t, "train.init_std", 0.02, 1e-6, 10),
                    batching, optimiser, cadence);
        } catch (IllegalArgumentException e) {
            throw doc.error("train", e.getMessage());
        }
        if (!root.has("output")) throw doc.error("output", "missing (the folder for logs, checkpoints and the export)");
        Path output = r.path(root, "output", base, false);
        String nativeBuild = r.text(root, "native", NativeBackend.DEFAULT_BUILD);
        if (!NATIVE_BUILDS.contains(nativeBuild)) throw doc.error("native", "expected one of " + NATIVE_BUILDS + ", got '" + nativeBuild + "'");
        String dtype = r.text(root, "export_dtype", "bf16").toLowerCase(Locale.ROOT);
        if (!Set.of("bf16", "f32", "f16").contains(dtype)) throw doc.error("export_dtype", "expected bf16, f16 or f32, got '" + dtype + "'");
        return new TrainingConfig(file, shape, data, settings, output, r.integer(root, "threads", 1, 1, 256), nativeBuild, dtype);
    }

    /** Typed access to YAML values with errors naming the file and line. */
    private record Reader(YamlDocument doc) {
        JsonNode section(JsonNode root, String key, boolean required) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) {
                if (required) throw new IllegalArgumentException(doc.file() + ": missing section '" + key + "'");
                return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            }
            if (!n.isObject()) throw doc.error(key, "expected a mapping, got " + describe(n));
            return n;
        }

        private JsonNode value(JsonNode parent, String key) {
            return parent.get(key.substring(key.lastIndexOf('.') + 1));
        }

        int integer(JsonNode parent, String key, Integer fallback, int min, int max) {
            return Math.toIntExact(longValue(parent, key, fallback == null ? null : fallback.longValue(), min, max));
        }

        long longValue(JsonNode parent, String key, Long fallback, long min, long max) {
            JsonNode n = value(parent, key);
            if (n == null || n.isNull()) {
                if (fallback == null) throw doc.error(parent == doc.root() ? key : key.substring(0, key.lastIndexOf('.')),
                        "missing required key '" + key + "'");
                return fallback;
            }
            long v;
            if (n.isIntegralNumber()) v = n.asLong();
            else if (n.isNumber() && n.asDouble() == Math.rint(n.asDouble()) && Math.abs(n.asDouble()) < 9e18) v = (long) n.asDouble();
            else throw doc.error(key, "expected an integer, got " + describe(n));
            if (v < min || v > max) throw doc.error(key, "must be in [" + min + ", " + max + "], got " + v);
            return v;
        }

        double number(JsonNode parent, String key, Double fallback, double min, double max) {
            JsonNode n = value(parent, key);
            if (n == null || n.isNull()) {
                if (fallback == null) throw doc.error(key, "missing required key");
                return fallback;
            }
            if (!n.isNumber()) throw doc.error(key, "expected a number, got " + describe(n));
            double v = n.asDouble();
            if (!(v >= min && v <= max)) throw doc.error(key, "must be in [" + min + ", " + max + "], got " + v);
            return v;
        }

        boolean bool(JsonNode parent, String key, boolean fallback) {
            JsonNode n = value(parent, key);
            if (n == null || n.isNull()) return fallback;
            if (!n.isBoolean()) throw doc.error(key, "expected true or false, got " + describe(n));
            return n.asBoolean();
        }

        String text(JsonNode parent, String key, String fallback) {
            JsonNode n = value(parent, key);
            if (n == null || n.isNull()) return fallback;
            if (!n.isTextual()) throw doc.error(key, "expected a string, got " + describe(n));
            return n.asText();
        }

        int[] intList(JsonNode parent, String key, int[] fallback) {
            JsonNode n = value(parent, key);
            if (n == null || n.isNull()) return fallback;
            if (!n.isArray() || n.isEmpty()) throw doc.error(key, "expected a non-empty list of integers, got " + describe(n));
            int[] out = new int[n.size()];
            for (int i = 0; i < out.length; i++) {
                if (!n.get(i).isIntegralNumber() || n.get(i).asInt() < 2) throw doc.error(key, "expected integers >= 2, got " + describe(n.get(i)));
                out[i] = n.get(i).asInt();
                if (i > 0 && out[i] <= out[i - 1]) throw doc.error(key, "must be ascending");
            }
            return out;
        }

        /** A path value; {@code mustExist} checks that the file exists. */
        Path path(JsonNode parent, String key, Path base, boolean mustExist) {
            String s = text(parent, key, null);
            if (s == null) return null;
            if (s.isBlank()) throw doc.error(key, "empty path");
            Path p = base.resolve(s).normalize();
            if (mustExist && !Files.exists(p)) throw doc.error(key, "no such file: " + p);
            return p;
        }

        private static String describe(JsonNode n) {
            if (n.isTextual()) return "\"" + n.asText() + "\"";
            if (n.isObject()) return "a mapping";
            if (n.isArray()) return "a list";
            return n.toString();
        }
    }
}
