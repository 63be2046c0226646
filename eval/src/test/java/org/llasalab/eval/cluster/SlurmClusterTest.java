package org.llasalab.eval.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.cli.CliRun;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.experiment.BudgetGroups;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.Environments;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.ExperimentReader;
import org.llasalab.eval.run.ExperimentRunner;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.experiment.Shard;

/**
 * The quickstart, reduced (one micro model, budgets 1 and 2, 8 test utterances of at most 50 speech tokens), on a
 * real one-node Slurm cluster ({@link LocalSlurm}) through {@code llasa slurm --submit}: three array tasks and the
 * merge job give the very tables of one {@code llasa run} on this machine (the measured wall times aside); a task
 * cancelled mid-way with scancel and requeued finishes the sweep without redoing or losing a finished utterance.
 * At most two tasks run at once (the node has this machine's CPUs, a task takes one).
 */
class SlurmClusterTest {
    private static final Pattern IN_ALL = Pattern.compile("llasa run: (\\d+) utterances in all, (\\d+) already finished");

    @TempDir
    static Path dir;

    private static LocalSlurm slurm;
    private static Path experiment;
    private static Path launcher;
    private static Path sbatch;
    private static Path reference;

    @BeforeAll
    static void clusterAndReference() throws Exception {
        slurm = LocalSlurm.connect(dir.resolve("slurm"));
        experiment = reducedQuickstart();
        launcher = launcher();
        sbatch = slurm.sbatchScript(dir);
        reference = dir.resolve("single-machine");
        CliRun run = llasa("run", experiment.toString(), "--output", reference.toString());
        assertEquals(0, run.code(), run.err() + run.out());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (slurm != null) slurm.close();
    }

    @Test
    void threeArrayTasksAndTheMergeGiveTheSingleMachineTables() throws Exception {
        Path out = dir.resolve("three-shards");
        String[] ids = submit(out);
        slurm.awaitGone(List.of(ids), 600, out.resolve("slurm"));
        for (int i = 0; i < 3; i++) {
            assertEquals("COMPLETED", slurm.state(ids[0] + "_" + i), slurm.logs(out.resolve("slurm")));
        }
        assertEquals("COMPLETED", slurm.state(ids[1]), "the merge found the sweep complete: " + slurm.logs(out.resolve("slurm")));
        String merge = Files.readString(out.resolve("slurm/merge.log"));
        int total = cells().size() * items().size();
        assertTrue(merge.contains(total + " of " + total + " utterances finished"), merge);

        // each task ran what the plan gave its shard, and nothing else
        List<Shard.Part> plan = Shard.plan(BudgetGroups.of(cells()), items(), 3, (c, i) -> false);
        for (int i = 0; i < 3; i++) {
            String log = Files.readString(out.resolve("slurm/shard-" + i + ".log"));
            Matcher m = IN_ALL.matcher(log);
            assertTrue(m.find(), log);
            assertEquals(plan.get(i).utterances(), Integer.parseInt(m.group(1)), "shard " + i + ": " + log);
        }
        assertSameTables(reference, out);
    }

    @Test
    void aTaskCancelledMidwayAndRequeuedFinishesWithNothingLostOrDoneTwice() throws Exception {
        Path out = dir.resolve("cancelled");
        List<Path> victimFiles = filesOfShard(out, new Shard(0, 3));
        String[] ids = submit(out);
        String victim = ids[0] + "_0";

        // cancel task 0 once it has finished some of its utterances
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (victimFiles.stream().noneMatch(Files::exists)) {
            assertTrue(System.nanoTime() < deadline, "task 0 wrote nothing in 300 s: " + slurm.logs(out.resolve("slurm")));
            Thread.sleep(50);
        }
        slurm.slurm("scancel", victim);
        awaitState(victim, "CANCELLED");
        awaitUnlocked(out.resolve(".locks/shard-0-of-3.lock")); // its JVM is gone: it writes nothing more
        Map<Path, String> before = snapshot(victimFiles);
        assertTrue(before.size() < victimFiles.size(), "cancelled mid-way: " + before.size() + " of "
                + victimFiles.size() + " (the task finished before the cancel landed)");

        slurm.slurm("scontrol", "requeue", victim);
        slurm.slurm("scontrol", "update", "jobid=" + victim, "StartTime=now"); // no 2-minute requeue delay
        slurm.awaitGone(List.of(ids), 600, out.resolve("slurm"));
        assertEquals("COMPLETED", slurm.state(victim), slurm.logs(out.resolve("slurm")));
        assertEquals("1", slurm.field(victim, "Restarts"));

        for (var e : before.entrySet()) {
            assertEquals(e.getValue(), identity(e.getKey()), "finished before the cancel, rewritten after it: " + e.getKey());
        }
        assertTrue(victimFiles.stream().allMatch(Files::exists), "every utterance of the shard is there");
        // the requeued task (its log appends) resumed from exactly what was finished
        String log = Files.readString(out.resolve("slurm/shard-0.log"));
        List<String> starts = new ArrayList<>();
        for (Matcher m = IN_ALL.matcher(log); m.find(); ) starts.add(m.group(2));
        assertEquals(List.of("0", String.valueOf(before.size())), starts, log);
        assertTrue(log.contains("start 1"), log);
        assertSameTables(reference, out);
    }

    /** Submits the reduced quickstart as 3 shards plus the merge; returns {array job id, merge job id}. */
    private static String[] submit(Path out) throws Exception {
        CliRun r = llasa("slurm", experiment.toString(), "--output", out.toString(), "--shards", "3", "--time", "20",
                "--launcher", launcher.toString(), "--sbatch", sbatch.toString(), "--submit");
        assertEquals(0, r.code(), r.err() + r.out());
        String[] lines = r.out().strip().split("\n");
        String[] ids = lines[lines.length - 1].strip().split(" ");
        assertEquals(2, ids.length, r.out());
        return ids;
    }

    /** The tables equal but for the columns that measure wall time (*_seconds but codec_seconds and item_*). */
    private static void assertSameTables(Path expected, Path actual) throws Exception {
        for (String table : List.of(ResultsFolder.RESULTS_CSV, ResultsFolder.AGGREGATE_CSV, ResultsFolder.METRICS_CSV)) {
            assertEquals(withoutTimes(expected.resolve(table)), withoutTimes(actual.resolve(table)), table);
        }
    }

    private static String withoutTimes(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = Arrays.asList(lines.getFirst().split(",", -1));
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i);
            // the ledger's measured times (wall_seconds, verifier_seconds, ...), not audio lengths or item attributes
            if (!h.endsWith("_seconds") || h.equals("codec_seconds") || h.startsWith("item_")) keep.add(i);
        }
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            String[] f = line.split(",", -1); // no quoted commas in these tables' values
            assertEquals(header.size(), f.length, csv + ": " + line);
            b.append(String.join(",", keep.stream().map(i -> f[i]).toList())).append('\n');
        }
        return b.toString();
    }

    /** The result files shard {@code shard} writes into {@code out}. */
    private static List<Path> filesOfShard(Path out, Shard shard) throws Exception {
        ResultsFolder folder = new ResultsFolder(out);
        List<Path> files = new ArrayList<>();
        for (List<Cell> group : BudgetGroups.of(cells())) {
            for (BenchmarkItem item : shard.items(group, items())) {
                for (Cell c : group) files.add(folder.utterance(c.id(), item));
            }
        }
        assertTrue(files.size() >= 6, "shard " + shard + " has enough work to cancel it mid-way: " + files.size());
        return files;
    }

    /** File key, modification time and content of each existing file: equal only if never rewritten. */
    private static Map<Path, String> snapshot(List<Path> files) throws Exception {
        Map<Path, String> m = new LinkedHashMap<>();
        for (Path f : files) {
            if (Files.exists(f)) m.put(f, identity(f));
        }
        return m;
    }

    private static String identity(Path f) throws Exception {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        return a.fileKey() + " " + a.lastModifiedTime().toMillis() + " " + Files.readString(f);
    }

    private static void awaitState(String job, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!slurm.state(job).equals(state)) {
            assertTrue(System.nanoTime() < deadline, job + " is " + slurm.state(job) + ", not " + state);
            Thread.sleep(100);
        }
    }

    /** Waits until no process holds lock file {@code f}. */
    private static void awaitUnlocked(Path f) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            while (true) {
                FileLock l = ch.tryLock();
                if (l != null) {
                    l.release();
                    return;
                }
                assertTrue(System.nanoTime() < deadline, f + " still locked 60 s after the cancel");
                Thread.sleep(100);
            }
        }
    }

    private static Experiment read() throws Exception {
        return new ExperimentReader(Environments.discover()).read(experiment);
    }

    private static List<Cell> cells() throws Exception {
        return new ExperimentRunner(null, Progress.silent()).cells(read());
    }

    private static List<BenchmarkItem> items() throws Exception {
        return new ExperimentRunner(null, Progress.silent()).items(read());
    }

    /** experiments/quickstart.yaml with one model, budgets [1, 2], 8 utterances, at most 50 speech tokens. */
    private static Path reducedQuickstart() throws Exception {
        String yaml = Files.readString(Path.of(System.getProperty("llasa.home"), "experiments", "quickstart.yaml"));
        String reduced = replace(yaml, "  micro-m-8m: {path: micro-m-8m, codec: micro}\n", "", 1);
        reduced = replace(reduced, "limit: 40", "limit: 8", 1);
        reduced = replace(reduced, "budgets: [1, 2, 4, 8]", "budgets: [1, 2]", 2);
        reduced = replace(reduced, "max_tokens: 400", "max_tokens: 50", 1);
        Path f = dir.resolve("quickstart-reduced.yaml");
        Files.writeString(f, reduced);
        return f;
    }

    private static String replace(String text, String what, String with, int times) {
        int count = text.split(Pattern.quote(what), -1).length - 1;
        assertEquals(times, count, "experiments/quickstart.yaml changed: '" + what.strip() + "' occurs " + count + " times");
        return text.replace(what, with);
    }

    /** Starts llasa on the node with this test's classes (the checkout's launcher would rebuild mid-test). */
    private static Path launcher() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path f = dir.resolve("llasa-test");
        Files.writeString(f, "#!/bin/sh\nexec '" + java + "' --add-modules jdk.incubator.vector"
                + " --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xss4m -Xmx1g"
                + " -XX:+UseSerialGC -Dllasa.home='" + System.getProperty("llasa.home") + "' -cp '"
                + System.getProperty("java.class.path") + "' org.llasalab.cli.Main \"$@\"\n");
        f.toFile().setExecutable(true);
        return f;
    }

    private static CliRun llasa(String... args) {
        return CliRun.of(args);
    }
}
