package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.results.ResultTables;
import org.llasalab.verify.Verifiers;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * The real executor end to end on tiny random-weight models: a Llasa-format Llama, an X-codec2 decoder,
 * the search branch's strategies and two cheap verifiers registered for tests.
 */
class SearchCellExecutorTest {
    @TempDir
    Path dir;

    @Test
    void runsSearchStrategiesOnARealModelAndCodec() throws Exception {
        Path fixture = Path.of(getClass().getResource("/tiny-llasa/model/config.json").toURI()).getParent().getParent();
        String yaml = """
                name: tiny
                models:
                  tiny: {path: %s, codec: %s}
                dataset: {name: tiny-test}
                strategies:
                  sample: {type: sample, budgets: [1]}
                  bon: {type: best_of_n, budgets: [1, 3]}
                verifiers:
                  level: {type: test-level}
                  length: {type: test-length}
                search: {bon: level}
                evaluate: [level, length]
                sampling: {temperature: 1.0, max_tokens: 10}
                seeds: [3]
                output: {save_audio: all}
                """.formatted(fixture.resolve("model"), fixture.resolve("codec"));
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, yaml);
        Environment discovered = Environments.discover();
        Environment env = new Environment(discovered.strategyTypes(), discovered.budgetParameters(),
                Verifiers.types().stream().collect(java.util.stream.Collectors.toSet()), discovered.models(),
                discovered.codecs(), java.util.Map.of("tiny-test", dir.resolve("unused.lst")), discovered.strategyCheck());
        Experiment e = new ExperimentReader(env).read(file);
        List<BenchmarkItem> items = List.of(new BenchmarkItem("a", null, null, "hello world", null),
                new BenchmarkItem("b", null, null, "hello", null));
        Path out = dir.resolve("out");
        RunSummary s;
        try (SearchCellExecutor executor = new SearchCellExecutor(e)) {
            s = new ExperimentRunner(executor, Progress.silent(), new SweepExpander(), spec -> items).run(e, out);
        }
        assertTrue(s.failures().isEmpty(), s.describe());
        assertEquals(3 * 2, s.utterancesRun());

        Table t = ResultTables.read(out.resolve("results.csv"));
        assertEquals(6, t.rowCount());
        for (Row r : t) {
            int budget = r.getInt("budget");
            assertEquals(budget, r.getDouble("candidates"), 0, "one candidate per unit of budget");
            assertTrue(r.getDouble("decode_tokens") >= budget, "decoded tokens are counted");
            assertTrue(r.getDouble("decode_tokens") <= budget * 10.0, "at most max_tokens each");
            assertTrue(r.getDouble("prefill_tokens") > 0);
            assertTrue(r.getDouble("length") > 0 && r.getDouble("length") <= 10 * 320 / 16000.0 + 1e-9);
        }
        // best-of-3 guided by level keeps the loudest of three candidates, the first of which is the
        // best-of-1 candidate (candidate streams depend only on the seed and the index)
        for (String item : List.of("a", "b")) {
            Table bon = t.where(t.stringColumn("strategy").isEqualTo("bon").and(t.stringColumn("utterance").isEqualTo(item)));
            double one = bon.where(bon.intColumn("budget").isEqualTo(1)).doubleColumn("level").get(0);
            double three = bon.where(bon.intColumn("budget").isEqualTo(3)).doubleColumn("level").get(0);
            assertTrue(three >= one, item + ": " + three + " < " + one);
        }
        Table metrics = ResultTables.read(out.resolve("metrics.csv"));
        assertEquals("higher", metrics.row(0).getString("direction"));
        assertEquals("lower", metrics.row(1).getString("direction"));
        try (var wavs = Files.walk(out.resolve("audio"))) {
            assertEquals(2 * (1 + 1 + 3), wavs.filter(p -> p.toString().endsWith(".wav")).count(), "save_audio: all");
        }
    }
}
