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
                int cells = run(nb);
                assertTrue(cells > 0, nb + " has no code cells");
            }
        } finally {
            System.clearProperty("llasa.results");
            System.clearProperty("llasa.study");
        }
        assertTrue(Files.isRegularFile(results.resolve("charts/notebook-equal-compute.png")));
        assertTrue(Files.isRegularFile(study.resolve("charts/notebook-loss-frontier.png")));
    }

    /** A study folder whose curves.csv holds the loss curves shipped with the micro-Llasa models. */
    private Path shippedStudy(Path home) throws Exception {
        Path models = home.resolve("toolkit/microworld/models");
        List<TrainScalingRunner.RunFacts> facts = new ArrayList<>();
        try (Stream<Path> s = Files.list(models)) {
            for (Path m : s.filter(p -> Files.isRegularFile(p.resolve("loss.csv"))).sorted().toList()) {
                facts.add(new TrainScalingRunner.RunFacts(
                        new TrainScalingStudy.Run(m.getFileName().toString(), null, null, null, null),
                        org.llasalab.io.LlamaConfig.load(m).parameterCount(), TrainScalingRunner.readLoss(m.resolve("loss.csv")),
                        true, -1, Double.NaN, Double.NaN, Double.NaN, null));
            }
        }
        assertTrue(facts.size() >= 2, "at least two shipped models with a loss curve in " + models);
        Path study = Files.createDirectories(dir.resolve("study"));
        Files.writeString(study.resolve(TrainScalingRunner.CURVES_CSV), TrainScalingRunner.curvesCsv(facts));
        return study;
    }

    /** Runs the code cells of one notebook; fails on the first rejected snippet or exception. */
    private static int run(Path notebook) throws Exception {
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
        }
        return cells;
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
