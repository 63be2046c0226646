package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.eval.charts.ScalingCharts;
import org.llasalab.eval.results.ResultTables;
import org.llasalab.eval.stats.Bootstrap;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.run.ExperimentRunner;
import org.llasalab.eval.run.Publish;

/** Tables, charts and report of one small run of the fake executor (run once for the class). */
class ResultsAndChartsTest {
    @TempDir
    static Path dir;
    static Path out;
    static Experiment experiment;

    @BeforeAll
    static void run() throws Exception {
        experiment = TestSupport.read(dir, TestSupport.smallExperiment("best"));
        out = dir.resolve("out");
        TestSupport.runner(new FakeExecutor(), Progress.silent()).run(experiment, out);
    }

    @Test
    void tidyTableHasOneRowPerCellAndUtteranceWithMetricsAndLedger() throws Exception {
        Table t = ResultTables.read(out.resolve("results.csv"));
        assertEquals(List.of("cell", "model", "strategy", "strategy_type", "search", "budget", "seed", "utterance",
                "wer", "sim", "decode_tokens", "verifier_calls"), t.columnNames());
        assertEquals(12 * 5, t.rowCount());
        Row r = t.row(5 * 2); // third cell: s / bon / budget 2, first utterance
        assertEquals("bon", r.getString("strategy"));
        assertEquals("best_of_n", r.getString("strategy_type"));
        assertEquals("wer", r.getString("search"));
        assertEquals(2, r.getInt("budget"));
        assertEquals("utt0", r.getString("utterance"));
        assertEquals(20.0, r.getDouble("decode_tokens"));
        assertEquals("utt3/odd id", t.row(3).getString("utterance"));
    }

    /**
     * What a test set says about its items (speaker, accent, style, ...) travels into results.csv as
     * item_KEY text columns, so a table can be grouped by them; they are not mistaken for ledger fields.
     */
    @Test
    void itemAttributesBecomeTextColumnsOfTheTidyTable(@TempDir Path tmp) throws Exception {
        Experiment e = TestSupport.read(tmp, TestSupport.smallExperiment("none"));
        List<org.llasalab.eval.bench.BenchmarkItem> items = new java.util.ArrayList<>();
        for (var item : TestSupport.items(5)) {
            int i = items.size();
            var attrs = new java.util.HashMap<String, String>(java.util.Map.of("accent", i % 2 == 0 ? "gb" : "cb",
                    "emotion", "neutral", "prompt_seconds", "1.5"));
            if (i == 4) attrs.remove("accent");   // an item the manifest says less about
            items.add(item.withAttributes(attrs));
        }
        Path folder = tmp.resolve("out");
        new ExperimentRunner(new FakeExecutor(), Progress.silent(), new SweepExpander(), spec -> items).run(e, folder);

        Table t = ResultTables.read(folder.resolve("results.csv"));
        assertEquals(List.of("cell", "model", "strategy", "strategy_type", "search", "budget", "seed", "utterance",
                "item_accent", "item_emotion", "item_prompt_seconds", "wer", "sim", "decode_tokens", "verifier_calls"),
                t.columnNames());
        assertEquals(List.of("gb", "cb", "gb", "cb", ""), t.stringColumn("item_accent").asList().subList(0, 5));
        assertEquals("1.5", t.stringColumn("item_prompt_seconds").get(0), "read back as text, like every attribute");
        Table byAccent = t.where(t.stringColumn("item_accent").isEqualTo("cb"));
        assertEquals(2 * 12, byAccent.rowCount(), "two cb items in each of the 12 cells");

        Table a = ResultTables.read(folder.resolve("aggregate.csv"));
        assertTrue(a.columnNames().stream().noneMatch(c -> c.startsWith("item_")), "attributes are no ledger fields: "
                + a.columnNames());
    }

    @Test
    void aggregateIsTheBootstrapMeanAndIntervalOfEachCellAndMetric() throws Exception {
        Table tidy = ResultTables.read(out.resolve("results.csv"));
        Table a = ResultTables.read(out.resolve("aggregate.csv"));
        for (String col : List.of("cell", "model", "strategy", "budget", "seed", "metric", "mean", "ci_low", "ci_high",
                "n", "decode_tokens", "verifier_calls")) {
            assertTrue(a.columnNames().contains(col), col + " in " + a.columnNames());
        }
        assertEquals(12 * 2, a.rowCount());
        for (Row r : a) {
            Table rows = tidy.where(tidy.stringColumn("cell").isEqualTo(r.getString("cell")));
            double[] values = rows.doubleColumn(r.getString("metric")).asDoubleArray();
            Bootstrap.Interval ci = Bootstrap.meanInterval95(values);
            assertEquals(ci.mean(), r.getDouble("mean"), 1e-12);
            assertEquals(ci.low(), r.getDouble("ci_low"), 1e-12);
            assertEquals(ci.high(), r.getDouble("ci_high"), 1e-12);
            assertEquals(5, r.getInt("n"));
            assertTrue(r.getDouble("ci_low") <= r.getDouble("mean") && r.getDouble("mean") <= r.getDouble("ci_high"));
            assertEquals(Arrays.stream(rows.doubleColumn("decode_tokens").asDoubleArray()).sum(),
                    r.getDouble("decode_tokens"), 1e-9);
            boolean guide = r.getString("search").equals(r.getString("metric"));
            assertEquals(guide ? "guide" : "held_out", r.getString("role"));
            assertEquals("done", r.getString("status"));
        }
        Table metrics = ResultTables.read(out.resolve("metrics.csv"));
        assertEquals("lower", metrics.row(0).getString("direction"));
        assertEquals("higher", metrics.row(1).getString("direction"));
    }

    @Test
    void chartsArePngAndSvgWithOnePanelPerMetric() throws Exception {
        for (String strategy : List.of("sample", "bon", "beam")) {
            BufferedImage png = ImageIO.read(out.resolve("charts/scaling-" + strategy + ".png").toFile());
            assertEquals(2 * 520, png.getWidth(), "two metrics, two panels");
            assertEquals(400, png.getHeight());
            String svg = Files.readString(out.resolve("charts/scaling-" + strategy + ".svg"));
            assertTrue(svg.contains("<svg"), svg.substring(0, Math.min(400, svg.length())));
            assertTrue(svg.contains("width=\"1040") || svg.contains("viewBox=\"0 0 1040"), svg.substring(0, 400));
            assertTrue(svg.split("<path").length > 20, "vector shapes, not an embedded bitmap");
        }
        // guided strategies get the guide-versus-held-out chart, one panel per model; sample has no guide
        assertEquals(2 * 520, ImageIO.read(out.resolve("charts/overfit-bon.png").toFile()).getWidth());
        assertTrue(Files.isRegularFile(out.resolve("charts/overfit-beam.svg")));
        assertTrue(Files.notExists(out.resolve("charts/overfit-sample.png")));
    }

    @Test
    void plotRedrawsFromTheTablesAloneWithAnyLedgerFieldAsX() throws Exception {
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        for (String f : List.of("aggregate.csv", "metrics.csv", "results.csv")) {
            Files.copy(out.resolve(f), copy.resolve(f));
        }
        ResultsFolder folder = new ResultsFolder(copy);
        Publish.Published published = Publish.fromTables(folder, "decode_tokens"); // what `llasa plot` does
        List<Path> charts = published.charts();
        assertEquals(5, charts.size(), charts.toString());
        assertTrue(Files.isRegularFile(copy.resolve("charts/scaling-bon.png")));
        assertEquals(copy.resolve("report.md"), published.report());
        String report = Files.readString(copy.resolve("report.md"));
        assertTrue(report.contains("![scaling-bon](charts/scaling-bon.png)"), report);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScalingCharts.drawAll(folder, "joules"));
        assertTrue(e.getMessage().contains("allowed: [budget, decode_tokens, verifier_calls]"), e.getMessage());
    }

    @Test
    void reportLinksTablesChartsAndAudio() throws Exception {
        String report = Files.readString(out.resolve("report.md"));
        for (String link : List.of("(resolved.yaml)", "(results.csv)", "(aggregate.csv)", "(audio/)",
                "(charts/scaling-beam.png)", "(charts/scaling-beam.svg)", "(charts/overfit-bon.png)")) {
            assertTrue(report.contains(link), link + " in\n" + report);
        }
        String results = report.substring(report.indexOf("## Results"), report.indexOf("## Charts"));
        long rows = results.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| cell")).count();
        assertEquals(24, rows);
        try (Stream<Path> s = Files.list(out.resolve("audio"))) {
            assertEquals(12, s.count(), "one audio folder per cell");
        }
    }
}
