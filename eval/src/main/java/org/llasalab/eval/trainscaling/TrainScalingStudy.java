package org.llasalab.eval.trainscaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.llasalab.eval.experiment.Environment;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.Experiment.ModelSpec;
import org.llasalab.eval.experiment.ExperimentException;
import org.llasalab.eval.experiment.ExperimentReader;
import org.llasalab.eval.experiment.PathResolver;
import org.llasalab.io.yaml.Problem;
import org.llasalab.io.yaml.YamlException;
import org.llasalab.io.yaml.YamlFields;
import org.llasalab.io.yaml.YamlNode;
import org.llasalab.io.yaml.YamlNode.Location;
import org.llasalab.io.yaml.YamlNode.MapNode;
import org.llasalab.io.yaml.YamlNode.Scalar;
import org.llasalab.io.yaml.YamlTree;
import org.llasalab.train.TrainingConfig;

/**
 * A train-time scaling study file ({@code study: train-scaling}), validated like an experiment file:
 * every problem with its file, line and column, reported at once.
 *
 * <pre>
 * study: train-scaling
 * runs:                      # name -> training YAML (relative to this file); its output folder holds
 *   micro-s: train-micro-s.yaml    # loss.csv and the exported model (OUTPUT/model)
 * train_missing: false       # true: train (resume) the runs whose exported model is missing
 * final:                     # an experiment over the exported models, without name, models and output
 *   dataset: ...; strategies: ...; verifiers: ...; search, evaluate, sampling, seeds
 * output: {dir: results/train-scaling}
 * </pre>
 *
 * Validation reads each training YAML (without checking its data files) but never requires a run's
 * outputs to exist: a run that has not been trained yet is reported when the study runs.
 */
public record TrainScalingStudy(Path file, Map<String, Run> runs, boolean trainMissing, Experiment finalExperiment,
        Path outputDir) {

    /** The value of the top-level {@code study} key that marks a file as this study. */
    public static final String KIND = "train-scaling";
    static final Set<String> TOP_KEYS = new TreeSet<>(List.of("study", "runs", "train_missing", "final", "output"));
    static final Set<String> OUTPUT_KEYS = Set.of("dir");

    /**
     * One training run: its training YAML and what it says: the output folder (loss.csv, model/), and the
     * codec folder its data was encoded with (which the final experiment decodes with). {@code shipped}
     * is the micro-world catalogue model of the same name (null when none): a model folder that also holds
     * the {@code loss.csv} of the training that made it. Until the run's own output holds an exported
     * model, the study reads the shipped copy, so that it draws and evaluates the shipped family on a
     * machine that has not trained anything.
     */
    public record Run(String name, Path configFile, TrainingConfig config, Path codecDir, Path shipped) {
        public Path output() {
            return config.output();
        }

        /** True when the run's own output folder holds an exported model. */
        public boolean trained() {
            return Files.isRegularFile(output().resolve("model").resolve("config.json"));
        }

        /** True when results come from the shipped copy (not trained here, and a shipped copy exists). */
        public boolean usesShipped() {
            return !trained() && shipped != null && Files.isRegularFile(shipped.resolve("config.json"))
                    && Files.isRegularFile(shipped.resolve("loss.csv"));
        }

        public Path lossCsv() {
            return usesShipped() ? shipped.resolve("loss.csv") : output().resolve("loss.csv");
        }

        public Path model() {
            return usesShipped() ? shipped : output().resolve("model");
        }

        public boolean hasModel() {
            return Files.isRegularFile(model().resolve("config.json"));
        }
    }

    /** True when {@code file} is a study file (a mapping with a top-level {@code study} key). */
    public static boolean isStudy(Path file) throws ExperimentException {
        try {
            return YamlTree.read(file) instanceof MapNode m && m.get("study") != null;
        } catch (YamlException e) {
            throw new ExperimentException(e.problems());
        }
    }

    /** Reads and validates {@code file}; every problem is reported at once. */
    public static TrainScalingStudy read(Path file, Environment environment) throws ExperimentException {
        List<Problem> problems = new ArrayList<>();
        YamlNode root;
        try {
            root = YamlTree.read(file, problems);
        } catch (YamlException e) {
            throw new ExperimentException(e.problems());
        }
        YamlFields fields = new YamlFields(file, problems);
        TrainScalingStudy study = new Reader(file, environment, fields).study(root);
        if (fields.hasProblems()) throw new ExperimentException(fields.problems());
        return study;
    }

    private record Reader(Path file, Environment environment, YamlFields f) {
        TrainScalingStudy study(YamlNode root) {
            if (!(root instanceof MapNode top)) {
                f.problem(root.location(), "a study must be a mapping of keys " + TOP_KEYS + ", found " + root.kind());
                return null;
            }
            f.checkKeys(top, TOP_KEYS, "top level");
            YamlNode kind = top.get("study");
            if (!(kind instanceof Scalar s && KIND.equals(s.value()))) {
                f.problem(kind.location(), "study: unknown kind" + YamlFields.describe(kind) + " (allowed: [" + KIND
                        + "])");
            }
            Map<String, Run> runs = runs(top.get("runs"), top.location());
            YamlNode tm = top.get("train_missing");
            boolean trainMissing = tm != null && f.bool(tm, "train_missing", false);
            Path out = Path.of("results", KIND);
            YamlNode o = top.get("output");
            if (o instanceof MapNode om) {
                f.checkKeys(om, OUTPUT_KEYS, "output");
                YamlNode d = om.get("dir");
                if (d instanceof Scalar s && s.value() instanceof String text && !text.isBlank()) out = Path.of(text);
                else if (d != null) f.problem(d.location(), "output.dir: expected a folder name, found "
                        + YamlFields.describe(d));
            } else if (o != null) {
                f.problem(o.location(), "output: expected a mapping such as {dir: results/train-scaling}, found "
                        + o.kind());
            }
            Experiment fin = null;
            YamlNode node = top.get("final");
            if (node == null) {
                f.problem(top.location(), "top level: missing key 'final' (the experiment over the exported models:"
                        + " dataset, strategies, verifiers, ...)");
            } else {
                Map<String, ModelSpec> models = new LinkedHashMap<>();
                runs.values().forEach(r -> models.put(r.name(), model(r)));
                fin = new ExperimentReader(environment).readEmbedded(node, "final", "final", models,
                        new Experiment.Output(out.resolve("final"), Experiment.SaveAudio.BEST), f);
            }
            return new TrainScalingStudy(file, runs, trainMissing, fin, out);
        }

        private Map<String, Run> runs(YamlNode node, Location topAt) {
            Map<String, Run> runs = new LinkedHashMap<>();
            if (node == null) {
                f.problem(topAt, "top level: missing key 'runs' (name -> training YAML, e.g. micro-s: train-micro-s.yaml)");
                return runs;
            }
            if (!(node instanceof MapNode m) || m.entries().isEmpty()) {
                f.problem(node.location(), "runs: expected a mapping of run names to training YAML files, found "
                        + node.kind() + YamlFields.describe(node));
                return runs;
            }
            PathResolver paths = new PathResolver(file.toAbsolutePath().getParent(), null, environment);
            Map<Path, String> outputs = new LinkedHashMap<>();
            for (var e : m.entries().entrySet()) {
                String where = "runs." + e.getKey();
                YamlNode v = e.getValue();
                if (!e.getKey().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                    f.problem(m.keyLocation(e.getKey()), where + ": a run name uses only letters, digits, '.', '_' and '-'");
                    continue;
                }
                if (!(v instanceof Scalar s && s.value() instanceof String path)) {
                    f.problem(v.location(), where + ": expected the path of a training YAML, found " + v.kind()
                            + YamlFields.describe(v));
                    continue;
                }
                Path configFile = paths.resolve(path, v.location(), where, f);
                if (!Files.isRegularFile(configFile)) {
                    f.problem(v.location(), where + ": training YAML " + configFile + " not found");
                    continue;
                }
                TrainingConfig config;
                try {
                    config = TrainingConfig.load(configFile, false);
                } catch (IOException | IllegalArgumentException ex) {
                    f.problem(v.location(), where + ": invalid training YAML: " + ex.getMessage());
                    continue;
                }
                String other = outputs.put(config.output(), e.getKey());
                if (other != null) {
                    f.problem(v.location(), where + ": writes to the same output folder as run '" + other + "' ("
                            + config.output() + ")");
                }
                Path codec = codec(config, v.location(), where);
                runs.put(e.getKey(), new Run(e.getKey(), configFile, config, codec, environment.models().get(e.getKey())));
            }
            return runs;
        }

        /** The codec of a run's data: a catalogue name, or a folder relative to the training YAML. */
        private Path codec(TrainingConfig config, Location at, String where) {
            String codec = config.data().codec();
            PathResolver.Located located = new PathResolver(config.file().toAbsolutePath().getParent(), null,
                    environment).locate(PathResolver.Kind.CODEC, codec, null);
            if (located.problem() != null) {
                f.problem(at, where + ": data.codec " + located.problem() + " (in " + config.file() + ")");
            }
            return located.dir();
        }

        private static ModelSpec model(Run r) {
            return new ModelSpec(r.name(), r.model().toString(), r.model(), r.config().data().codec(), r.codecDir(), null);
        }
    }
}
