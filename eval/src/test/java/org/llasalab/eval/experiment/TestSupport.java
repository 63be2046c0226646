package org.llasalab.eval.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.run.CellExecutor;
import org.llasalab.eval.run.ExperimentRunner;
import org.llasalab.eval.run.Progress;

/** A fixed environment, a small experiment and in-memory test items for runner tests. */
public final class TestSupport {
    private TestSupport() {}

    public static Environment environment(Path datasetFile) {
        return new Environment(
                Map.of("sample", Set.of("max_tokens"),
                        "best_of_n", Set.of("n", "max_tokens", "reuse_prefixes"),
                        "beam", Set.of("beam_width", "expand", "max_tokens")),
                Map.of("best_of_n", "n", "beam", "beam_width"),
                Set.of("fake-asr", "fake-sim", "test-length"),
                Map.of("tiny-s", datasetFile.resolveSibling("tiny-s"), "tiny-l", datasetFile.resolveSibling("tiny-l")),
                Map.of("tiny-codec", datasetFile.resolveSibling("tiny-codec")),
                Map.of("tiny-test", datasetFile),
                (type, params) -> params.getOrDefault("expand", 1) instanceof Long l && l > 16
                        ? "expand must be <= 16" : null);
    }

    /** A 2 models x {sample, best_of_n, beam} experiment; output under {@code dir}. */
    public static String smallExperiment(String saveAudio) {
        return """
                name: small
                models:
                  s: {path: tiny-s, codec: tiny-codec}
                  l: {path: tiny-l, codec: tiny-codec}
                dataset: {name: tiny-test, limit: 5}
                strategies:
                  sample: {type: sample, budgets: [1]}
                  bon: {type: best_of_n, budgets: [1, 2, 4]}
                  beam: {type: beam, expand: 2, budgets: [1, 2]}
                verifiers:
                  wer: {type: fake-asr}
                  sim: {type: fake-sim}
                search: {bon: wer, beam: sim}
                evaluate: [wer, sim]
                seeds: [7]
                output: {save_audio: %s}
                """.formatted(saveAudio);
    }

    public static Path write(Path dir, String name, String yaml) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    public static Experiment read(Path dir, String yaml) throws Exception {
        Path dataset = dir.resolve("meta.lst");
        if (!Files.exists(dataset)) Files.writeString(dataset, "");
        return new ExperimentReader(environment(dataset), k -> null).read(write(dir, "exp.yaml", yaml));
    }

    public static List<BenchmarkItem> items(int n) {
        List<BenchmarkItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(new BenchmarkItem("utt" + i + (i == 3 ? "/odd id" : ""), "prompt text " + i,
                    Path.of("prompt" + i + ".wav"), "target text number " + i, null));
        }
        return items;
    }

    public static ExperimentRunner runner(CellExecutor executor, Progress progress) {
        return new ExperimentRunner(executor, progress, new SweepExpander(),
                spec -> items(spec.limit() == 0 ? 8 : spec.limit()));
    }

    /** The tiny random-weight Llasa fixture: {@code model/} (Llama + tokenizer) and {@code codec/} (X-codec2). */
    public static Path tinyLlasa() throws Exception {
        return Path.of(TestSupport.class.getResource("/tiny-llasa/model/config.json").toURI()).getParent().getParent();
    }

    /**
     * Reads {@code yaml} (written to {@code dir/tiny.yaml}) against the discovered environment with every
     * verifier type on the class path (the tests' own too) and {@code tiny-test} as a dataset name.
     */
    public static Experiment readReal(Path dir, String yaml) throws Exception {
        Path file = write(dir, "tiny.yaml", yaml);
        Environment discovered = Environments.discover();
        Environment env = new Environment(discovered.strategyTypes(), discovered.budgetParameters(),
                org.llasalab.verify.Verifiers.types().stream().collect(java.util.stream.Collectors.toSet()),
                discovered.models(), discovered.codecs(), Map.of("tiny-test", dir.resolve("unused.lst")),
                discovered.strategyCheck());
        return new ExperimentReader(env).read(file);
    }

    /** Copies a folder tree (the finished cells of a results folder, say) to {@code to}. */
    public static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}
