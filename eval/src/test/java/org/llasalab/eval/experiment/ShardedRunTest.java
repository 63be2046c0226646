package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.run.RunSummary;
import org.llasalab.eval.run.SweepState;

/** {@code llasa run --shard I/N}: the split, shards sharing one folder, the merge of their tables and statuses. */
class ShardedRunTest {
    @TempDir
    Path dir;

    @Test
    void parsesIOfNAndRejectsTheRestClearly() {
        assertEquals(new Shard(2, 3), Shard.parse("2/3"));
        assertEquals(Shard.ALL, Shard.parse("0/1"));
        assertEquals("1-of-4", Shard.parse(" 1 / 4 ").tag());
        for (String bad : List.of("3/3", "-1/3", "0/0", "1", "a/b", "1/2/3")) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
            assertTrue(ex.getMessage().contains("I/N") || ex.getMessage().contains("0 <= I < N"), ex.getMessage());
        }
    }

    /** Every utterance of every budget group falls to exactly one shard, by ids only, and the split is even enough. */
    @Test
    void everyUnitFallsToExactlyOneShardByItsIds() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        List<Cell> cells = new SweepExpander().expand(e);
        List<BenchmarkItem> items = TestSupport.items(40);
        List<List<Cell>> groups = BudgetGroups.of(cells);
        int[] perShard = new int[3];
        for (List<Cell> group : groups) {
            for (BenchmarkItem item : items) {
                int owners = 0;
                for (int i = 0; i < 3; i++) {
                    if (new Shard(i, 3).owns(group, item)) {
                        owners++;
                        perShard[i]++;
                    }
                }
                assertEquals(1, owners, "one owner for " + group.getLast().id() + "/" + item.id());
                assertEquals(Shard.of(group, item, 3), Shard.of(List.copyOf(group), item, 3), "a function of the ids");
            }
        }
        int units = groups.size() * items.size();
        for (int n : perShard) assertTrue(n > units / 3 * 0.7 && n < units / 3 * 1.3, "balanced: " + List.of(perShard));
        // the plan counts the same utterances
        List<Shard.Part> plan = Shard.plan(groups, items, 3, (c, i) -> false);
        assertEquals(cells.size() * items.size(), plan.stream().mapToInt(Shard.Part::utterances).sum());
        assertEquals(0, plan.stream().mapToInt(Shard.Part::done).sum());
    }

    /**
     * Three shards run one after the other into one folder: each runs exactly its own utterances, only the last
     * writes tables, and they equal the tables of one unsharded run. A shard run again redoes nothing.
     */
    @ParameterizedTest(name = "share budgets: {0}")
    @ValueSource(booleans = {false, true})
    void threeShardsTogetherEqualOneRun(boolean share) throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("best"));
        Path single = dir.resolve("single"), sharded = dir.resolve("sharded");
        TestSupport.runner(new FakeExecutor(0, null, null, share), Progress.silent()).run(e, single);

        Set<String> ranByAll = new HashSet<>();
        List<BenchmarkItem> items = TestSupport.items(5);
        List<Cell> cells = new SweepExpander().expand(e);
        Map<String, List<Cell>> groupOf = new HashMap<>();
        for (List<Cell> g : share ? BudgetGroups.of(cells) : BudgetGroups.single(cells)) {
            for (Cell c : g) groupOf.put(c.id(), g);
        }
        for (int i = 0; i < 3; i++) {
            Shard shard = new Shard(i, 3);
            FakeExecutor ex = new FakeExecutor(0, null, null, share);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            RunSummary s = TestSupport.runner(ex, new Progress(new PrintStream(log, true), false)).run(e, sharded, shard);
            assertTrue(s.failures().isEmpty(), s.describe());
            for (String r : ex.ran) {
                String cell = r.substring(0, r.indexOf('/'));
                BenchmarkItem item = items.stream().filter(it -> r.endsWith("/" + it.id())).findFirst().orElseThrow();
                assertTrue(shard.owns(groupOf.get(cell), item), "shard " + shard + " ran " + r + ", not its own");
                assertTrue(ranByAll.add(r), "run twice: " + r);
            }
            boolean last = i == 2;
            assertEquals(last, Files.exists(sharded.resolve("aggregate.csv")), "only the last shard writes the tables");
            assertTrue(log.toString().contains(last ? "the sweep is complete" : "the last shard to end"), log.toString());
        }
        assertEquals(cells.size() * items.size(), ranByAll.size(), "every utterance run once");
        for (String table : List.of("results.csv", "aggregate.csv", "metrics.csv")) {
            assertEquals(Files.readString(single.resolve(table)), Files.readString(sharded.resolve(table)), table);
        }
        for (Cell c : cells) {
            var status = new ObjectMapper().readTree(sharded.resolve("cells").resolve(c.id()).resolve("status.json").toFile());
            assertEquals("done", status.path("state").asText());
            assertEquals(5, status.path("utterances").asInt());
        }
        FakeExecutor again = new FakeExecutor(0, null, null, share);
        TestSupport.runner(again, Progress.silent()).run(e, sharded, new Shard(1, 3));
        assertEquals(0, again.runs.get(), "a finished shard run again redoes nothing");
    }

    /** A shard's failure survives the other shards' success in the merged status, until a rerun makes it good. */
    @Test
    void mergeKeepsAShardsFailuresAndReportsWhatIsMissing() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        Path out = dir.resolve("out");
        List<Cell> cells = new SweepExpander().expand(e);
        BenchmarkItem failing = TestSupport.items(5).get(2);
        for (int i = 0; i < 2; i++) {
            TestSupport.runner(new FakeExecutor(0, null, failing.id()), Progress.silent()).run(e, out, new Shard(i, 2));
        }
        assertFalse(Files.exists(out.resolve("aggregate.csv")), "the failed utterances are missing: no shard publishes");
        SweepState state = TestSupport.runner(new FakeExecutor(), Progress.silent()).merge(e, out);
        assertFalse(state.complete());
        assertEquals(cells.size() * 4, state.utterancesDone());
        assertEquals(cells.size(), state.failures().size(), state.describe());
        assertTrue(state.describe().contains("0 done, " + cells.size() + " failed"), state.describe());
        assertTrue(state.failures().getFirst().error().contains("text too long"), state.describe());
        String aggregate = Files.readString(out.resolve("aggregate.csv"));
        assertTrue(aggregate.contains(",failed,"), "the merged tables say failed");
        var status = new ObjectMapper().readTree(out.resolve("cells").resolve(cells.get(0).id()).resolve("status.json").toFile());
        assertEquals("failed", status.path("state").asText());
        assertEquals(failing.id(), status.path("errors").get(0).path("item").asText());

        // the failing item's shard, run again with the fault gone, completes the sweep and publishes
        List<Integer> shardsOfIt = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            FakeExecutor ex = new FakeExecutor();
            TestSupport.runner(ex, Progress.silent()).run(e, out, new Shard(i, 2));
            if (ex.runs.get() > 0) shardsOfIt.add(i);
        }
        assertFalse(shardsOfIt.isEmpty());
        SweepState after = TestSupport.runner(new FakeExecutor(), Progress.silent()).merge(e, out);
        assertTrue(after.complete(), after.describe());
        assertTrue(after.failures().isEmpty(), "an error made good is forgotten: " + after.describe());
        assertFalse(Files.readString(out.resolve("aggregate.csv")).contains(",failed,"));
    }

    @Test
    void mergeOfAMissingFolderSaysSo() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        var ex = assertThrows(java.io.IOException.class,
                () -> TestSupport.runner(new FakeExecutor(), Progress.silent()).merge(e, dir.resolve("nothing")));
        assertTrue(ex.getMessage().contains("nothing: no such results folder"), ex.getMessage());
    }
}
