package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.run.RunSummary;

/** Best-of-N budgets of one model / strategy / seed run as one search, and what the runner makes of it. */
class BudgetGroupsTest {
    @TempDir
    Path dir;

    @Test
    void groupsTheBestOfNBudgetsOfOneModelStrategyAndSeed() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none").replace("seeds: [7]", "seeds: [7, 8]"));
        List<Cell> cells = new SweepExpander().expand(e);
        List<List<Cell>> groups = BudgetGroups.of(cells);
        // per model and seed: sample, bon {1, 2, 4}, beam 1, beam 2
        assertEquals(2 * 2 * 4, groups.size());
        assertEquals(cells.size(), groups.stream().mapToInt(List::size).sum());
        for (List<Cell> g : groups) {
            Cell lead = g.getLast();
            if (lead.strategy().name().equals("bon")) {
                assertEquals(List.of(1, 2, 4), g.stream().map(Cell::budget).toList());
                assertTrue(g.stream().allMatch(c -> c.seed() == lead.seed() && c.model() == lead.model()), g.toString());
            } else {
                assertEquals(1, g.size(), lead.label());
            }
        }
        assertEquals(cells.size(), BudgetGroups.single(cells).size());
    }

    @Test
    void budgetsWithoutReusedPrefixesStaySeparate() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none")
                .replace("bon: {type: best_of_n, budgets: [1, 2, 4]}",
                        "bon: {type: best_of_n, reuse_prefixes: false, budgets: [1, 2, 4]}"));
        List<Cell> cells = new SweepExpander().expand(e);
        assertEquals(cells.size(), BudgetGroups.of(cells).size());
        FakeExecutor sharing = FakeExecutor.sharing();
        TestSupport.runner(sharing, Progress.silent()).run(e, dir.resolve("out"));
        assertEquals(12 * 5, sharing.searches.get(), "one search per cell and utterance");
        assertTrue(sharing.budgetCalls.isEmpty());
    }

    @Test
    void aGroupRunsOneSearchPerUtteranceAndWritesTheSameResultsAsSeparateCells() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("best"));
        FakeExecutor separate = new FakeExecutor();
        TestSupport.runner(separate, Progress.silent()).run(e, dir.resolve("separate"));
        FakeExecutor sharing = FakeExecutor.sharing();
        RunSummary s = TestSupport.runner(sharing, Progress.silent()).run(e, dir.resolve("shared"));
        assertTrue(s.failures().isEmpty(), s.describe());
        assertEquals(12 * 5, separate.searches.get());
        // per model: sample, the bon group, beam 1, beam 2
        assertEquals(2 * 4 * 5, sharing.searches.get());
        assertEquals(12 * 5, s.utterancesRun(), "every cell still has its own result per utterance");
        assertEquals(2 * 5, sharing.budgetCalls.size());
        for (String t : List.of("results.csv", "aggregate.csv")) {
            assertEquals(Files.readString(dir.resolve("separate").resolve(t)),
                    Files.readString(dir.resolve("shared").resolve(t)), t);
        }
    }

    @Test
    void aRerunSearchesOnlyForTheBudgetsThatLackAnUtterance() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        Path out = dir.resolve("out");
        TestSupport.runner(FakeExecutor.sharing(), Progress.silent()).run(e, out);
        String results = Files.readString(out.resolve("results.csv"));
        List<Cell> bon = BudgetGroups.of(new SweepExpander().expand(e)).stream()
                .filter(g -> g.size() > 1).findFirst().orElseThrow();
        ResultsFolder folder = new ResultsFolder(out);
        List<BenchmarkItem> items = TestSupport.items(5);
        Files.delete(folder.utterance(bon.get(1).id(), items.get(1)));
        Files.delete(folder.utterance(bon.get(2).id(), items.get(1)));
        Files.delete(folder.utterance(bon.get(2).id(), items.get(2)));
        Path untouched = folder.utterance(bon.get(0).id(), items.get(1));
        FileTime before = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(untouched, before);

        FakeExecutor again = FakeExecutor.sharing();
        RunSummary s = TestSupport.runner(again, Progress.silent()).run(e, out);
        assertEquals(List.of(bon.get(1).id() + "," + bon.get(2).id() + "/" + items.get(1).id(),
                bon.get(2).id() + "/" + items.get(2).id()), again.budgetCalls);
        assertEquals(2, again.searches.get());
        assertEquals(3, s.utterancesRun());
        assertEquals(before, Files.getLastModifiedTime(untouched), "a finished member is not rewritten");
        assertEquals(results, Files.readString(out.resolve("results.csv")));
    }

    @Test
    void aFailedGroupUtteranceFailsEveryMemberThatLacksIt() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        RunSummary s = TestSupport.runner(new FakeExecutor(0, null, "utt1", true), Progress.silent())
                .run(e, dir.resolve("out"));
        assertEquals(12, s.cellsFailed());
        assertEquals(12, s.failures().size(), "one failure per cell, bon members included");
        assertEquals(12 * 4, s.utterancesRun());
    }
}
