package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.run.RunLock;
import org.llasalab.eval.run.RunSummary;

/**
 * Two {@code llasa run} processes on one results folder: the same shard (or two unsharded runs, or runs split
 * differently) refuse with a message naming the folder and the holder; other shards of the same split share it;
 * a killed holder leaves nothing in the way; a run never deletes a live writer's temp files.
 */
class RunLockTest {
    @TempDir
    Path dir;

    private Process holder;

    @AfterEach
    void stopHolder() throws Exception {
        if (holder != null && holder.isAlive()) {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Another JVM that holds {@code shard}'s lock on {@code out} until stopped. */
    private Process hold(Path out, String shard) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolderMain.class.getName(),
                out.toString(), shard).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (Exception ex) {
                return ex.toString();
            }
        }).get(60, TimeUnit.SECONDS);
        assertEquals("locked", line, "the holder took its lock");
        return p;
    }

    @Test
    void aSecondUnshardedRunRefusesNamingTheFolderAndTheHolder() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        Path out = dir.resolve("out");
        holder = hold(out, "0/1");
        FakeExecutor ex = new FakeExecutor();
        RunLock.Refused refused = assertThrows(RunLock.Refused.class,
                () -> TestSupport.runner(ex, Progress.silent()).run(e, out));
        String m = refused.getMessage();
        assertTrue(m.startsWith(out + ": refusing to run: it is already being run by llasa run (pid " + holder.pid()), m);
        assertEquals(0, ex.runs.get(), "nothing ran");
        assertFalse(Files.exists(out.resolve("cells")), "nothing written");

        // a shard of a split conflicts with the unsharded run as well
        RunLock.Refused split = assertThrows(RunLock.Refused.class,
                () -> TestSupport.runner(new FakeExecutor(), Progress.silent()).run(e, out, new Shard(0, 2)));
        assertTrue(split.getMessage().contains("split otherwise"), split.getMessage());
        assertTrue(split.getMessage().contains("pid " + holder.pid()), "names the holder: " + split.getMessage());

        // kill -9 of the holder frees the folder: the OS drops its locks
        holder.destroyForcibly();
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        RunSummary s = TestSupport.runner(new FakeExecutor(), Progress.silent()).run(e, out);
        assertTrue(s.failures().isEmpty());
        assertTrue(Files.exists(out.resolve("aggregate.csv")));
    }

    @Test
    void shardsOfOneSplitShareTheFolderButNotAShard() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        Path out = dir.resolve("out");
        holder = hold(out, "0/3");
        // a live writer's temp file in a cell folder that the other shards share
        Cell first = new SweepExpander().expand(e).getFirst();
        Path utterances = Files.createDirectories(out.resolve("cells").resolve(first.id()).resolve("utterances"));
        Path liveTemp = Files.writeString(utterances.resolve(".utt0.json-abc123.tmp"), "{\"half\": ");

        FakeExecutor other = new FakeExecutor();
        RunSummary s = TestSupport.runner(other, Progress.silent()).run(e, out, new Shard(1, 3));
        assertTrue(s.failures().isEmpty());
        assertTrue(other.runs.get() > 0, "shard 1/3 ran beside shard 0/3");
        assertTrue(Files.exists(liveTemp), "a run that is not alone leaves other writers' temp files alone");

        RunLock.Refused same = assertThrows(RunLock.Refused.class,
                () -> TestSupport.runner(new FakeExecutor(), Progress.silent()).run(e, out, new Shard(0, 3)));
        assertTrue(same.getMessage().startsWith(out + ": refusing to run: shard 0/3 is already being run by llasa run (pid "
                + holder.pid()), same.getMessage());
        assertTrue(same.getMessage().contains("shard 0/3"), same.getMessage());
        for (Shard otherSplit : List.of(new Shard(1, 4), Shard.ALL)) {
            RunLock.Refused ex = assertThrows(RunLock.Refused.class,
                    () -> TestSupport.runner(new FakeExecutor(), Progress.silent()).run(e, out, otherSplit));
            assertTrue(ex.getMessage().contains("the same utterances"), ex.getMessage());
        }

        holder.getOutputStream().close(); // the holder ends normally
        assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        TestSupport.runner(new FakeExecutor(), Progress.silent()).run(e, out);
        assertFalse(Files.exists(liveTemp), "alone, a run removes the temp files killed runs left");
    }

    /** Two runs started together in one JVM: one refuses, the other finishes; nothing is run or counted twice. */
    @Test
    void twoConcurrentRunsInOneProcessDoNotBothWork() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        Path out = dir.resolve("out");
        FakeExecutor a = new FakeExecutor(20, null, null), b = new FakeExecutor(20, null, null);
        var threads = java.util.concurrent.Executors.newFixedThreadPool(2); // the common pool may have one thread
        RunSummary s;
        try {
            var first = threads.submit(() -> run(a, e, out));
            while (a.runs.get() == 0 && !first.isDone()) Thread.sleep(5);
            ExecutionException second = assertThrows(ExecutionException.class,
                    () -> threads.submit(() -> run(b, e, out)).get(60, TimeUnit.SECONDS));
            assertTrue(second.getCause() instanceof RunLock.Refused, String.valueOf(second.getCause()));
            assertTrue(second.getCause().getMessage().contains("already being run by llasa run (pid "
                    + ProcessHandle.current().pid()), second.getCause().getMessage());
            s = first.get(120, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(0, b.runs.get());
        assertEquals(12 * 5, a.runs.get());
        assertEquals(12 * 5, s.utterancesRun());
        Path clean = dir.resolve("clean");
        TestSupport.runner(new FakeExecutor(), Progress.silent()).run(e, clean);
        assertEquals(Files.readString(clean.resolve("aggregate.csv")), Files.readString(out.resolve("aggregate.csv")));
    }

    private static RunSummary run(FakeExecutor ex, Experiment e, Path out) throws Exception {
        return TestSupport.runner(ex, Progress.silent()).run(e, out);
    }
}
