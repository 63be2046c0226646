package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.trainscaling.LossRow;
import org.llasalab.eval.trainscaling.RunFacts;
import org.llasalab.eval.trainscaling.ScalingTables;
import org.llasalab.eval.trainscaling.TrainScalingRunner;
import org.llasalab.eval.trainscaling.TrainScalingStudy;

/**
 * Runs every code cell of every notebook in {@code notebooks/} through JShell (the test class path,
 * in this JVM) against a small results folder made by the fake executor, so notebooks cannot rot.
 */
class NotebooksTest {
    @TempDir
    Path dir;

    @Test
    void everyNotebookRunsAgainstAResultsFolder() throws Exception {
        Path results = dir.resolve("results");
        TestSupport.runner(new FakeExecutor(), Progress.silent())
                .run(TestSupport.read(dir, TestSupport.smallExperiment("none")), results);
        Path notebooks = Path.of(System.getProperty("llasa.home"), "notebooks");
        List<Path> files;
        try (Stream<Path> s = Files.list(notebooks)) {
            files = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no notebooks in " + notebooks);
        Path study = shippedStudy(Path.of(System.getProperty("llasa.home")));
        System.setProperty("llasa.results", results.toString());
        System.setProperty("llasa.study", study.toString());
        try {
            for (Path nb : files) {
                int cells = run(nb).cells();
                assertTrue(cells > 0, nb + " has no code cells");
            }
        } finally {
            System.clearProperty("llasa.results");
            System.clearProperty("llasa.study");
        }
        assertTrue(Files.isRegularFile(results.resolve("charts/notebook-equal-compute.png")));
        assertTrue(Files.isRegularFile(study.resolve("charts/notebook-loss-frontier.png")));
    }

    /**
     * The scaling-fit notebook on curves that follow L = 8 N^-0.1 D^-0.05 exactly (three sizes at 1M speech tokens,
     * two at 4M) must recover the exponents, the equal-update loss ratios and the parameters that reach the target.
     */
    @Test
    void theScalingFitRecoversAKnownPowerLaw() throws Exception {
        Path study = Files.createDirectories(dir.resolve("known-law"));
        StringBuilder csv = new StringBuilder("run,parameters,step,tokens,speech_tokens,flops,train_loss,heldout_loss,seconds\n");
        double[][] runs = {{1e5, 1e6}, {4e5, 1e6}, {1.6e6, 1e6}, {1e5, 4e6}, {4e5, 4e6}};
        for (int k = 0; k < runs.length; k++) {
            double n = runs[k][0], d = runs[k][1];
            for (int step = 1; step <= 2; step++) {
                double seen = d * step / 2;
                double loss = 8 * Math.pow(n, -0.1) * Math.pow(seen, -0.05);
                csv.append(String.format(java.util.Locale.ROOT, "r%d,%.0f,%d,%.0f,%.0f,%.6e,%.9f,%.12f,1%n",
                        k, n, step, seen * 2, seen, 6 * n * seen, loss, loss));
            }
        }
        Files.writeString(study.resolve("curves.csv"), csv);
        System.setProperty("llasa.study", study.toString());
        NotebookRun nb;
        try {
            nb = run(Path.of(System.getProperty("llasa.home"), "notebooks", "train-scaling-fit.ipynb"),
                    "laws.get(1000000L)[0]", "laws.get(1000000L)[2]", "laws.get(4000000L)[0]", "joint", "extrapolation",
                    "families.size()");
        } finally {
            System.clearProperty("llasa.study");
        }
        assertEquals(-0.1, Double.parseDouble(nb.probes().get("laws.get(1000000L)[0]")), 1e-6, nb.printed());
        assertEquals(1.0, Double.parseDouble(nb.probes().get("laws.get(1000000L)[2]")), 1e-9);
        assertEquals(-0.1, Double.parseDouble(nb.probes().get("laws.get(4000000L)[0]")), 1e-6);
        assertEquals("2", nb.probes().get("families.size()"));
        assertTrue(nb.probes().get("joint").contains("N^(-0.1000) * D^(-0.0500)   R^2 1.000   (5 runs, 2 budgets)"),
                nb.probes().get("joint"));
        assertTrue(nb.probes().get("joint").startsWith("\"L(N, D) = 8.000 * "), nb.probes().get("joint"));
        // equal updates see equal data, so the loss ratio of 4x the parameters is 4^-0.1 at every step
        assertTrue(nb.printed().contains("r1 / r0 at equal updates (the same batches, so equal tokens): 0.871 0.871"),
                nb.printed());
        // target 1.2 at 1M speech tokens: N = (8 * 1e6^-0.05 / 1.2)^(1/0.1)
        double needed = Math.pow(8 * Math.pow(1e6, -0.05) / 1.2, 10);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("at about ([\\d,]+) parameters \\(([\\d.]+)x")
                .matcher(nb.probes().get("extrapolation"));
        assertTrue(m.find(), nb.probes().get("extrapolation"));
        assertEquals(needed, Double.parseDouble(m.group(1).replace(",", "")), 1.0);
        assertEquals(needed / 1.6e6, Double.parseDouble(m.group(2)), 0.006);
    }

    /**
     * The strategy notebook's equal-compute table: x is the decoded tokens per utterance (the fake executor
     * decodes 10 per unit of budget) and y the mean of the per-utterance results of that model and metric.
     */
    @Test
    void theStrategyNotebookPlotsQualityAtEqualCompute() throws Exception {
        Path results = dir.resolve("results");
        TestSupport.runner(new FakeExecutor(), Progress.silent())
                .run(TestSupport.read(dir, TestSupport.smallExperiment("none")), results);
        System.setProperty("llasa.results", results.toString());
        NotebookRun nb;
        try {
            nb = run(Path.of(System.getProperty("llasa.home"), "notebooks", "compare-strategies.ipynb"),
                    "compute", "model", "metric", "java.util.Arrays.toString(chart.getSeriesMap().get(\"bon\").getXData())",
                    "java.util.Arrays.toString(chart.getSeriesMap().get(\"bon\").getYData())", "series");
        } finally {
            System.clearProperty("llasa.results");
        }
        assertEquals("\"decode_tokens\"", nb.probes().get("compute"));
        assertEquals("3", nb.probes().get("series"), "sample, bon and beam");
        assertEquals("\"[10.0, 20.0, 40.0]\"",
                nb.probes().get("java.util.Arrays.toString(chart.getSeriesMap().get(\"bon\").getXData())"));
        String model = nb.probes().get("model").replace("\"", ""), metric = nb.probes().get("metric").replace("\"", "");
        tech.tablesaw.api.Table t = org.llasalab.eval.results.ResultTables.read(results.resolve("results.csv"));
        StringBuilder expected = new StringBuilder();
        for (int budget : new int[] {1, 2, 4}) {
            tech.tablesaw.api.Table rows = t.where(t.stringColumn("model").isEqualTo(model)
                    .and(t.stringColumn("strategy").isEqualTo("bon")).and(t.intColumn("budget").isEqualTo(budget)));
            assertEquals(5, rows.rowCount());
            expected.append(expected.isEmpty() ? "" : ", ").append(rows.doubleColumn(metric).mean());
        }
        String y = nb.probes().get("java.util.Arrays.toString(chart.getSeriesMap().get(\"bon\").getYData())");
        double[] got = java.util.Arrays.stream(y.replaceAll("[\"\\[\\]]", "").split(", ")).mapToDouble(Double::parseDouble).toArray();
        double[] want = java.util.Arrays.stream(expected.toString().split(", ")).mapToDouble(Double::parseDouble).toArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, got, 1e-9, model + " " + metric);
    }

    /** A study folder whose curves.csv holds the loss curves shipped with the micro-Llasa models. */
    private Path shippedStudy(Path home) throws Exception {
        Path models = home.resolve("toolkit/microworld/models");
        List<RunFacts> facts = new ArrayList<>();
        try (Stream<Path> s = Files.list(models)) {
            for (Path m : s.filter(p -> Files.isRegularFile(p.resolve("loss.csv"))).sorted().toList()) {
                facts.add(new RunFacts(
                        new TrainScalingStudy.Run(m.getFileName().toString(), null, null, null, null),
                        org.llasalab.io.LlamaConfig.load(m).parameterCount(), LossRow.read(m.resolve("loss.csv")),
                        true, -1, Double.NaN, Double.NaN, Double.NaN, null));
            }
        }
        assertTrue(facts.size() >= 2, "at least two shipped models with a loss curve in " + models);
        Path study = Files.createDirectories(dir.resolve("study"));
        Files.writeString(study.resolve(TrainScalingRunner.CURVES_CSV), ScalingTables.curvesCsv(facts));
        return study;
    }

    /** What a notebook run left: its code cell count, what it printed, and the values of the probes. */
    record NotebookRun(int cells, String printed, java.util.Map<String, String> probes) {}

    /**
     * Runs the code cells of one notebook; fails on the first rejected snippet or exception. Then evaluates
     * each probe (a Java expression over the notebook's variables) in the same session.
     */
    private static NotebookRun run(Path notebook, String... probes) throws Exception {
        // the local execution engine runs the cells in this JVM: what they print goes to System.out
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            NotebookRun r = runInShell(notebook, probes);
            return new NotebookRun(r.cells(), r.printed() + printed.toString(java.nio.charset.StandardCharsets.UTF_8), r.probes());
        } finally {
            System.setOut(console);
        }
    }

    private static NotebookRun runInShell(Path notebook, String... probes) throws Exception {
        JsonNode nb = new ObjectMapper().readTree(notebook.toFile());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int cells = 0;
        try (JShell shell = JShell.builder().executionEngine("local").out(new PrintStream(out, true))
                .err(new PrintStream(out, true)).build()) {
            for (String entry : classPath()) shell.addToClasspath(entry);
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            for (JsonNode cell : nb.path("cells")) {
                if (!cell.path("cell_type").asText().equals("code")) continue;
                cells++;
                StringBuilder source = new StringBuilder();
                for (JsonNode line : cell.path("source")) source.append(line.asText());
                String remaining = source.toString();
                while (!remaining.isBlank()) {
                    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                    String snippet = info.source() != null ? info.source() : remaining;
                    for (SnippetEvent event : shell.eval(snippet)) {
                        String where = notebook.getFileName() + " cell " + cells + ": " + snippet.strip();
                        if (event.status() == Snippet.Status.REJECTED) {
                            List<String> diags = shell.diagnostics(event.snippet())
                                    .map(d -> d.getMessage(null)).toList();
                            fail(where + "\nrejected: " + diags);
                        }
                        if (event.exception() != null) {
                            fail(where + "\nthrew: " + event.exception() + "\n" + out);
                        }
                    }
                    remaining = info.source() != null ? info.remaining() : "";
                }
            }
            java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
            for (String probe : probes) {
                for (SnippetEvent event : shell.eval(probe + ";")) {
                    if (event.status() == Snippet.Status.REJECTED || event.exception() != null) {
                        fail(notebook.getFileName() + " probe " + probe + ": " + event.status() + " " + event.exception());
                    }
                    if (event.value() != null) values.put(probe, event.value());
                }
            }
            return new NotebookRun(cells, out.toString(java.nio.charset.StandardCharsets.UTF_8), values);
        }
    }

    /** The test class path, with manifest-only jars (as surefire makes) expanded. */
    static List<String> classPath() throws Exception {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(e);
            if (e.endsWith(".jar") && Files.isRegularFile(Path.of(e))) {
                try (JarFile jar = new JarFile(e)) {
                    Manifest m = jar.getManifest();
                    String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
                    if (cp == null) continue;
                    for (String url : cp.trim().split("\\s+")) {
                        URI uri = Path.of(e).toUri().resolve(url);
                        entries.add(Path.of(uri).toString());
                    }
                }
            }
        }
        return new ArrayList<>(entries);
    }

    @Test
    void classPathIsExpanded() throws Exception {
        assertTrue(classPath().stream().anyMatch(e -> e.contains("tablesaw-core")), classPath().toString());
        assertNull(System.getProperty("llasa.results"));
        assertEquals(classPath().size(), new LinkedHashSet<>(classPath()).size());
    }
}
