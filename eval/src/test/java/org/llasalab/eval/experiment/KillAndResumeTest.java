package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.run.RunSummary;

/**
 * Kills a run (its own JVM, like {@code kill -9}) midway, reruns it, and checks that the rerun does
 * not redo finished utterances and that the tables equal those of an uninterrupted run.
 */
class KillAndResumeTest {
    /** 12 cells x 3 utterances. */
    static final String EXPERIMENT = TestSupport.smallExperiment("best").replace("limit: 5", "limit: 3");
    static final int TOTAL = 36;

    @TempDir
    Path dir;

    /** {@code share}: best-of-N budgets run as one search per utterance, so a kill may fall between their writes. */
    @ParameterizedTest(name = "share budgets: {0}")
    @ValueSource(booleans = {false, true})
    void aKilledRunResumesWithoutRedoingWorkAndEndsWithIdenticalTables(boolean share) throws Exception {
        Experiment e = TestSupport.read(dir, EXPERIMENT);
        Path killed = dir.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KillableRunMain.class.getName(), dir.toString(), killed.toString(), "40",
                share ? "share" : "separate")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (finished(killed).size() < 10) {
            assertTrue(child.isAlive(), () -> "the child ended early: " + log());
            assertTrue(System.nanoTime() < deadline, "no progress within 120 s: " + log());
            Thread.sleep(20);
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        Set<String> before = finished(killed);
        assertTrue(before.size() >= 10 && before.size() < TOTAL, "killed midway: " + before.size());
        assertFalse(Files.exists(killed.resolve("aggregate.csv")), "it never reached the tables");

        FakeExecutor resume = new FakeExecutor(0, null, null, share);
        RunSummary s = TestSupport.runner(resume, Progress.silent()).run(e, killed);
        assertEquals(TOTAL - before.size(), resume.runs.get(), "only the unfinished utterances run again");
        assertEquals(before.size(), s.utterancesSkipped());
        for (String r : resume.ran) {
            assertFalse(before.contains(r), "redid " + r);
        }
        assertTrue(s.failures().isEmpty());

        Path clean = dir.resolve("clean");
        TestSupport.runner(new FakeExecutor(0, null, null, share), Progress.silent()).run(e, clean);
        try (Stream<Path> left = Files.walk(killed)) {
            assertEquals(0, left.filter(p -> p.toString().endsWith(".tmp")).count(), "temp files cleaned up");
        }
        for (String table : List.of("results.csv", "aggregate.csv", "metrics.csv")) {
            assertEquals(Files.readString(clean.resolve(table)), Files.readString(killed.resolve(table)), table);
        }
    }

    /** "cell/utterance" of every result file written so far. */
    private static Set<String> finished(Path out) throws Exception {
        Set<String> done = new HashSet<>();
        Path cells = out.resolve("cells");
        if (!Files.isDirectory(cells)) return done;
        try (Stream<Path> s = Files.walk(cells)) {
            for (Path p : s.filter(f -> f.getParent().getFileName().toString().equals("utterances")
                    && f.getFileName().toString().endsWith(".json")).toList()) {
                String cell = p.getParent().getParent().getFileName().toString();
                String item = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.toFile()).path("item").asText();
                done.add(cell + "/" + item);
            }
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException ex) {
            return done; // a file renamed while walking: try again on the next poll
        }
        return done;
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (Exception ex) {
            return "(no log)";
        }
    }
}
