package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.results.ResultTables;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import org.llasalab.eval.run.DiskFullException;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.run.RunSummary;
import org.llasalab.eval.run.SearchCellExecutor;
import org.llasalab.eval.results.UtteranceRecord;
import org.llasalab.eval.run.CellExecutor;
import org.llasalab.eval.run.ExperimentRunner;

/**
 * Faults in the middle of a sweep: a full disk, a verifier that throws on one utterance, a model
 * folder removed while the sweep runs. In each, everything finished stays, nothing is counted twice
 * (a rerun adds exactly what is missing, and the tables have one row per cell and utterance), and the
 * error says what to do.
 */
class RunFaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) exec("umount", mounted.toString());
    }

    /**
     * A tmpfs of 256 KiB holds the results folder (needs root and mount; skipped with the reason
     * otherwise): the run stops at the first result it cannot write with a message that says to make
     * room and rerun; the results written before are whole; after the disk grows a rerun runs only the
     * missing utterances and ends with the tables of an uninterrupted run.
     */
    @Test
    void aFullDiskStopsTheRunKeepsWhatIsFinishedAndTheRerunResumes() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small-disk"));
        String why = exec("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString());
        if (why != null) {
            System.err.println("RunFaultsTest: cannot mount a small tmpfs (" + why + "); skipping the full-disk test");
            Assumptions.abort("cannot mount a tmpfs: " + why);
        }
        mounted = small;
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("best").replace("limit: 5", "limit: 8"));
        int total = 12 * 8;
        Path out = small.resolve("results");

        FakeExecutor first = new FakeExecutor();
        DiskFullException full = assertThrows(DiskFullException.class,
                () -> TestSupport.runner(first, Progress.silent()).run(e, out));
        assertTrue(full.getMessage().startsWith(out + ": the disk is full"), full.getMessage());
        assertTrue(full.getMessage().contains("run the same command again"), full.getMessage());
        Set<String> kept = finished(out);
        assertTrue(!kept.isEmpty() && kept.size() < total, "the disk filled midway: " + kept.size());
        assertTrue(first.runs.get() <= kept.size() + 4, "it stopped at the first result it could not keep, ran "
                + first.runs.get() + " for " + kept.size() + " kept");
        try (Stream<Path> left = Files.walk(out)) {
            assertEquals(List.of(), left.filter(p -> p.toString().endsWith(".tmp")).toList(), "no temp files left");
        }

        assertEquals(null, exec("mount", "-o", "remount,size=64m", small.toString()), "the disk grows");
        FakeExecutor resume = new FakeExecutor();
        RunSummary s = TestSupport.runner(resume, Progress.silent()).run(e, out);
        assertTrue(s.failures().isEmpty(), s.describe());
        assertEquals(total - kept.size(), resume.runs.get(), "only what was missing runs again");
        for (String r : resume.ran) assertFalse(kept.contains(r), "redid " + r);

        Path clean = dir.resolve("clean");
        TestSupport.runner(new FakeExecutor(), Progress.silent()).run(e, clean);
        for (String table : List.of("results.csv", "aggregate.csv", "metrics.csv")) {
            assertEquals(Files.readString(clean.resolve(table)), Files.readString(out.resolve(table)), table);
        }
    }

    /**
     * The guiding and evaluating verifier throws on one of three utterances: only that utterance fails
     * (in every cell), the others are written; the summary says to fix and rerun; the rerun with the
     * verifier mended runs only the failed utterance of each cell.
     */
    @Test
    void aVerifierThatThrowsOnOneUtteranceFailsOnlyThatUtterance() throws Exception {
        Path tiny = TestSupport.tinyLlasa();
        Experiment e = TestSupport.readReal(dir, """
                name: faults
                models:
                  tiny: {path: %s, codec: %s}
                dataset: {name: tiny-test}
                strategies:
                  sample: {type: sample, budgets: [1]}
                  bon: {type: best_of_n, budgets: [1, 2]}
                verifiers:
                  picky: {type: test-fails-on, params: {text: broken}}
                  length: {type: test-length}
                search: {bon: picky}
                evaluate: [picky, length]
                sampling: {temperature: 1.0, max_tokens: 8}
                seeds: [5]
                output: {save_audio: none}
                """.formatted(tiny.resolve("model"), tiny.resolve("codec")));
        List<BenchmarkItem> items = List.of(new BenchmarkItem("a", null, null, "hello world", null),
                new BenchmarkItem("b", null, null, "a broken one", null),
                new BenchmarkItem("c", null, null, "hello", null));
        Path out = dir.resolve("out");
        TestVerifiers.FailsOn.failing = true;
        try {
            RunSummary s = runReal(e, items, out);
            assertEquals(6, s.utterancesRun(), s.describe());
            assertEquals(3, s.failures().size(), s.describe());
            for (var f : s.failures()) {
                assertEquals("b", f.item());
                assertTrue(f.error().contains("cannot score 'a broken one'"), f.error());
            }
            assertTrue(s.describe().contains("run the same command again"), s.describe());
            assertEquals(Set.of("a", "c"), utterances(out));

            TestVerifiers.FailsOn.failing = false;
            RunSummary again = runReal(e, items, out);
            assertTrue(again.failures().isEmpty(), again.describe());
            assertEquals(3, again.utterancesRun(), "only the failed utterance of each cell");
            assertEquals(6, again.utterancesSkipped());
            assertEquals(Set.of("a", "b", "c"), utterances(out));
        } finally {
            TestVerifiers.FailsOn.failing = true;
        }
    }

    /**
     * The second model's folder is deleted while the first model's cells run: the first model's cells
     * finish, the second's fail with an error that says to put the folder back and rerun; after it is
     * back, the rerun runs only the second model's utterances.
     */
    @Test
    void aModelFolderRemovedMidSweepFailsOnlyItsCells() throws Exception {
        Path tiny = TestSupport.tinyLlasa();
        Path first = dir.resolve("models/first");
        Path second = dir.resolve("models/second");
        TestSupport.copyTree(tiny.resolve("model"), first);
        TestSupport.copyTree(tiny.resolve("model"), second);
        Experiment e = TestSupport.readReal(dir, """
                name: faults
                models:
                  first: {path: %s, codec: %s}
                  second: {path: %s, codec: %s}
                dataset: {name: tiny-test}
                strategies:
                  sample: {type: sample, budgets: [1]}
                verifiers:
                  length: {type: test-length}
                evaluate: [length]
                sampling: {temperature: 1.0, max_tokens: 8}
                seeds: [5, 6]
                output: {save_audio: none}
                """.formatted(first, tiny.resolve("codec"), second, tiny.resolve("codec")));
        List<BenchmarkItem> items = List.of(new BenchmarkItem("a", null, null, "hello world", null),
                new BenchmarkItem("b", null, null, "hello", null));
        Path out = dir.resolve("out");
        Path parked = dir.resolve("parked");
        RunSummary s;
        try (SearchCellExecutor real = new SearchCellExecutor(e)) {
            // a delegating executor that moves the second model away after the first model's first cell opened
            CellExecutor removing = new CellExecutor() {
                @Override
                public void open(Cell cell) throws Exception {
                    real.open(cell);
                    if (cell.model().name().equals("first") && Files.exists(second)) Files.move(second, parked);
                }

                @Override
                public UtteranceRecord run(Cell cell, BenchmarkItem item) throws Exception {
                    return real.run(cell, item);
                }

                @Override
                public void closeCell(Cell cell) {
                    real.closeCell(cell);
                }
            };
            s = new ExperimentRunner(removing, Progress.silent(), new SweepExpander(), spec -> items).run(e, out);
        }
        assertEquals(4, s.utterancesRun(), s.describe());
        assertEquals(2, s.cellsFailed(), s.describe());
        for (var f : s.failures()) {
            assertTrue(f.cell().startsWith("second"), f.toString());
            assertTrue(f.error().contains(second.toString()) && f.error().contains("put it back"), f.error());
        }
        Files.move(parked, second);
        RunSummary again = runReal(e, items, out);
        assertTrue(again.failures().isEmpty(), again.describe());
        assertEquals(4, again.utterancesRun(), "only the second model's utterances");
        assertEquals(4, again.utterancesSkipped());
        Table t = ResultTables.read(out.resolve("results.csv"));
        assertEquals(8, t.rowCount());
        Set<String> rows = new HashSet<>();
        for (Row r : t) assertTrue(rows.add(r.getString("cell") + "/" + r.getString("utterance")), "counted twice");
    }

    private static RunSummary runReal(Experiment e, List<BenchmarkItem> items, Path out) throws Exception {
        try (SearchCellExecutor executor = new SearchCellExecutor(e)) {
            return new ExperimentRunner(executor, Progress.silent(), new SweepExpander(), spec -> items).run(e, out);
        }
    }

    /** The distinct utterances of results.csv, after checking that no cell has one twice. */
    private static Set<String> utterances(Path out) throws IOException {
        Table t = ResultTables.read(out.resolve("results.csv"));
        Set<String> rows = new HashSet<>();
        Set<String> items = new HashSet<>();
        for (Row r : t) {
            assertTrue(rows.add(r.getString("cell") + "/" + r.getString("utterance")), "counted twice");
            items.add(r.getString("utterance"));
        }
        return items;
    }

    /** "cell/utterance" of every result file, each checked to be a whole result. */
    private static Set<String> finished(Path out) throws IOException {
        Set<String> done = new HashSet<>();
        try (Stream<Path> s = Files.walk(out.resolve("cells"))) {
            for (Path p : s.filter(f -> f.getParent().getFileName().toString().equals("utterances")).toList()) {
                JsonNode node = JSON.readTree(p.toFile());
                assertTrue(node.path("metrics").size() > 0 && node.has("item_hash"), "a whole result: " + p);
                done.add(p.getParent().getParent().getFileName() + "/" + node.path("item").asText());
            }
        }
        return done;
    }

    /** Runs a command; null when it succeeded, else its output (why it failed). */
    private static String exec(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String output = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return command[0] + " did not finish";
        }
        return p.exitValue() == 0 ? null : (output.isEmpty() ? command[0] + " exited " + p.exitValue() : output);
    }
}
