package org.llasalab.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.eval.run.RunClock.Component;
import org.llasalab.eval.run.RunClock.Split;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.FakeExecutor;
import org.llasalab.eval.experiment.TestSupport;

/** The time split of a run: nested spans count once, the parts add up, the split reaches report.md. */
class RunClockTest {
    @TempDir
    Path dir;

    @Test
    void nestedSpansCountForTheInnermostComponentAndThePartsAddUp() throws Exception {
        RunClock clock = new RunClock();
        long t0 = System.nanoTime();
        clock.enter(Component.LOAD);
        busy(30);
        clock.run(Component.LM, () -> busy(250)); // an LM call inside loading
        clock.exit();
        busy(20); // outside any span: other
        List<Split> splits = clock.finish();
        double total = (System.nanoTime() - t0) / 1e9;
        double lm = wall(splits, Component.LM);
        double load = wall(splits, Component.LOAD);
        assertTrue(lm >= 0.245, "lm " + lm);
        assertTrue(load >= 0.025 && load < 0.2, "load " + load + " excludes the nested LM span");
        assertTrue(wall(splits, Component.OTHER) >= 0.015, "the rest is other");
        double counted = splits.stream().filter(s -> s.component() != Component.START)
                .mapToDouble(Split::wallSeconds).sum();
        assertEquals(total, counted, 0.01, "the parts after the start add up to the whole");
        assertTrue(splits.stream().mapToDouble(Split::cpuSeconds).sum() > 0.05, "busy waiting takes CPU");
    }

    @Test
    void spansFromOtherThreadsAndAfterTheFinishCountNothing() throws Exception {
        RunClock clock = new RunClock();
        Thread other = new Thread(() -> clock.run(Component.CODEC, () -> busy(30)));
        other.start();
        other.join();
        clock.finish();
        clock.run(Component.CODEC, () -> busy(10));
        assertEquals(0, wall(clock.splits(), Component.CODEC));
    }

    @Test
    void aReopenedClockCountsTheNextRunFromZero() throws Exception {
        RunClock clock = new RunClock();
        clock.run(Component.IO, () -> busy(30));
        clock.finish();
        clock.reopen();
        clock.run(Component.TABLES, () -> busy(20));
        List<Split> splits = clock.finish();
        assertEquals(0, wall(splits, Component.IO));
        assertEquals(0, wall(splits, Component.START));
        assertTrue(wall(splits, Component.TABLES) >= 0.015);
    }

    @Test
    void theLaunchersStartCountsOnlyWhenItIsBeforeTheJvmsAndRecent() {
        assertEquals(900, RunClock.launchMillis("900", 1000, 2000));
        assertEquals(1000, RunClock.launchMillis("1500", 1000, 2000), "after the JVM started: not the launcher's");
        assertEquals(1000, RunClock.launchMillis("x", 1000, 2000));
        assertEquals(1000, RunClock.launchMillis(null, 1000, 2000));
        assertEquals(5_000_000, RunClock.launchMillis("1", 5_000_000, 6_000_000), "hours before: stale");
    }

    @Test
    void aRunWritesItsSplitAndTheReportShowsIt() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("best"));
        Path out = dir.resolve("out");
        TestSupport.runner(new FakeExecutor(), Progress.silent()).run(e, out);
        String table = RunClock.readFormatted(out);
        assertNotNull(table, "timing.csv is written");
        assertTrue(table.startsWith("time by component of the last `llasa run` into this folder: 60 utterances run, 0"
                + " reused"), table);
        for (Component c : Component.values()) assertTrue(table.contains("| " + c.key() + " | "), table);
        assertTrue(table.contains("| total | "), table);
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Time by component") && report.contains(table), report);
    }

    private static double wall(List<Split> splits, Component c) {
        return splits.stream().filter(s -> s.component() == c).findFirst().orElseThrow().wallSeconds();
    }

    private static void busy(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 0;
        while (System.nanoTime() < end) x++;
        if (x == 42) System.out.print("");
    }
}
