package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.dsp.Wav;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.run.RunSummary;
import org.llasalab.eval.run.ExperimentRunner;

class ExperimentRunnerTest {
    @TempDir
    Path dir;

    @Test
    void runsEveryCellAndUtteranceThenSkipsThemOnRerun() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("best"));
        Path out = dir.resolve("out");
        FakeExecutor first = new FakeExecutor();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        RunSummary s = TestSupport.runner(first, new Progress(new PrintStream(log, true), false)).run(e, out);
        int cells = 2 * (1 + 3 + 2);
        assertEquals(cells, s.cells());
        assertEquals(cells * 5, s.utterancesRun());
        assertEquals(cells * 5, first.runs.get());
        assertEquals(0, s.utterancesSkipped());
        assertTrue(s.failures().isEmpty());
        assertTrue(log.toString().contains("cell 1/12 "), log.toString());
        assertFalse(log.toString().contains("\r"), "plain lines when not on a terminal");
        for (String f : List.of("resolved.yaml", "results.csv", "aggregate.csv", "metrics.csv", "report.md")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        // resolved.yaml in the order it is written (a Map.of there put type after params in one JVM, before in the next)
        String resolved = Files.readString(out.resolve("resolved.yaml"));
        String verifiers = resolved.substring(resolved.indexOf("\nverifiers:\n"), resolved.indexOf("\nsearch:\n") + 1);
        assertTrue(verifiers.matches("(?s)\\nverifiers:\\n(  \\w+:\\n    type: [^\\n]+\\n    params:[^\\n]*\\n(      [^\\n]*\\n)*)+"),
                verifiers);
        assertTrue(resolved.contains("\noutput:\n  dir: "), resolved);
        String results = Files.readString(out.resolve("results.csv"));
        String aggregate = Files.readString(out.resolve("aggregate.csv"));
        String metrics = Files.readString(out.resolve("metrics.csv"));
        assertFalse(metrics.contains("unknown"), metrics);

        FakeExecutor second = new FakeExecutor();
        RunSummary again = TestSupport.runner(second, Progress.silent()).run(e, out);
        assertEquals(0, second.runs.get(), "nothing is redone");
        assertEquals(0, second.opens.get(), "finished cells do not even load their model");
        assertEquals(cells, again.cellsSkipped());
        assertEquals(cells * 5, again.utterancesSkipped());
        assertEquals(results, Files.readString(out.resolve("results.csv")));
        assertEquals(aggregate, Files.readString(out.resolve("aggregate.csv")));
        assertEquals(metrics, Files.readString(out.resolve("metrics.csv")), "a rerun that opened no verifier keeps the directions");

        // finished cells copied into a fresh folder (no metrics.csv): the directions are asked for, not lost
        Path copy = dir.resolve("copy");
        TestSupport.copyTree(out.resolve("cells"), copy.resolve("cells"));
        FakeExecutor third = new FakeExecutor();
        RunSummary copied = TestSupport.runner(third, Progress.silent()).run(e, copy);
        assertEquals(0, third.runs.get());
        assertEquals(cells, copied.cellsSkipped());
        assertEquals(results, Files.readString(copy.resolve("results.csv")));
        assertEquals(metrics, Files.readString(copy.resolve("metrics.csv")));
    }

    @Test
    void aLargerLimitRunsOnlyTheNewUtterances() throws Exception {
        Path out = dir.resolve("out");
        TestSupport.runner(new FakeExecutor(), Progress.silent())
                .run(TestSupport.read(dir, TestSupport.smallExperiment("none")), out);
        FakeExecutor more = new FakeExecutor();
        RunSummary s = TestSupport.runner(more, Progress.silent()).run(
                TestSupport.read(dir, TestSupport.smallExperiment("none").replace("limit: 5", "limit: 7")), out);
        assertEquals(12 * 2, more.runs.get());
        assertEquals(12 * 5, s.utterancesSkipped());
        assertTrue(more.ran.stream().allMatch(r -> r.endsWith("/utt5") || r.endsWith("/utt6")), more.ran.toString());
    }

    @Test
    void aNewEvaluationVerifierKeepsTheCellsAndRerunsOnlyWhatLacksItsScore() throws Exception {
        Path out = dir.resolve("out");
        Experiment werOnly = TestSupport.read(dir, TestSupport.smallExperiment("none").replace("evaluate: [wer, sim]",
                "evaluate: [wer]"));
        TestSupport.runner(new FakeExecutor(), Progress.silent()).run(werOnly, out);
        Experiment both = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        assertEquals(new SweepExpander().expand(werOnly).stream().map(Cell::id).toList(),
                new SweepExpander().expand(both).stream().map(Cell::id).toList(), "same cells");
        FakeExecutor more = new FakeExecutor();
        TestSupport.runner(more, Progress.silent()).run(both, out);
        assertEquals(60, more.runs.get(), "every utterance lacked the sim score");
        assertTrue(Files.readString(out.resolve("aggregate.csv")).contains(",sim,"));
        FakeExecutor none = new FakeExecutor();
        TestSupport.runner(none, Progress.silent()).run(werOnly, out);
        assertEquals(0, none.runs.get(), "dropping an evaluation verifier reruns nothing");
    }

    @Test
    void aScoreFromAnotherDefinitionOrRevisionOfItsVerifierIsRedone() throws Exception {
        Path out = dir.resolve("out");
        String yaml = TestSupport.smallExperiment("none")
                .replace("  sim: {type: fake-sim}\n", "  sim: {type: fake-sim}\n  len: {type: test-length}\n")
                .replace("evaluate: [wer, sim]", "evaluate: [wer, sim, len]");
        Experiment e = TestSupport.read(dir, yaml);
        TestSupport.runner(new FakeExecutor(), Progress.silent()).run(e, out);
        FakeExecutor same = new FakeExecutor();
        TestSupport.runner(same, Progress.silent()).run(e, out);
        assertEquals(0, same.runs.get(), "nothing changed");

        // the same name, other parameters: the cells stay, every score of 'len' is redone
        Experiment other = TestSupport.read(dir, yaml.replace("len: {type: test-length}",
                "len: {type: test-length, params: {unit: ms}}"));
        assertEquals(new SweepExpander().expand(e).stream().map(Cell::id).toList(),
                new SweepExpander().expand(other).stream().map(Cell::id).toList(), "same cells");
        FakeExecutor changed = new FakeExecutor();
        TestSupport.runner(changed, Progress.silent()).run(other, out);
        assertEquals(60, changed.runs.get());

        // an update that changes the type's scores (its revision goes up): redone once, then kept
        String before = TestVerifiers.Length.revision;
        try {
            TestVerifiers.Length.revision = "2";
            FakeExecutor updated = new FakeExecutor();
            TestSupport.runner(updated, Progress.silent()).run(other, out);
            assertEquals(60, updated.runs.get());
            FakeExecutor again = new FakeExecutor();
            TestSupport.runner(again, Progress.silent()).run(other, out);
            assertEquals(0, again.runs.get());
        } finally {
            TestVerifiers.Length.revision = before;
        }
    }

    @Test
    void aCompositesJudgeFollowsTheVerifiersItNames() {
        Experiment.VerifierSpec len = new Experiment.VerifierSpec("len", "test-length", java.util.Map.of());
        Experiment.VerifierSpec lenMs = new Experiment.VerifierSpec("len", "test-length", java.util.Map.of("unit", "ms"));
        Experiment.VerifierSpec combo = new Experiment.VerifierSpec("combo", "composite",
                java.util.Map.of("members", List.of("len", java.util.Map.of("ref", "len", "weight", 2))));
        String before = SweepExpander.judge(combo, java.util.Map.of("len", len, "combo", combo));
        assertEquals(before, SweepExpander.judge(combo, java.util.Map.of("len", len, "combo", combo)));
        assertFalse(before.equals(SweepExpander.judge(combo, java.util.Map.of("len", lenMs, "combo", combo))),
                "a named member redefined: the composite's scores are redone");
        assertEquals(SweepExpander.judge(len, java.util.Map.of()), SweepExpander.judge(len, java.util.Map.of("combo", combo)),
                "a verifier that names none is judged by itself alone");
    }

    @Test
    void aGuidesRevisionIsPartOfTheCellsItGuides() throws Exception {
        String yaml = TestSupport.smallExperiment("none")
                .replace("  sim: {type: fake-sim}\n", "  sim: {type: fake-sim}\n  len: {type: test-length}\n")
                .replace("search: {bon: wer, beam: sim}", "search: {bon: len, beam: sim}");
        List<Cell> before = new SweepExpander().expand(TestSupport.read(dir, yaml));
        String old = TestVerifiers.Length.revision;
        List<Cell> after;
        try {
            TestVerifiers.Length.revision = "2";
            after = new SweepExpander().expand(TestSupport.read(dir, yaml));
        } finally {
            TestVerifiers.Length.revision = old;
        }
        for (int i = 0; i < before.size(); i++) {
            boolean guidedByLen = before.get(i).strategy().name().equals("bon");
            assertEquals(!guidedByLen, before.get(i).id().equals(after.get(i).id()), before.get(i).label());
        }
    }

    @Test
    void aChangedItemIsRunAgain() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        Path out = dir.resolve("out");
        TestSupport.runner(new FakeExecutor(), Progress.silent()).run(e, out);
        FakeExecutor again = new FakeExecutor();
        List<BenchmarkItem> items = TestSupport.items(5);
        BenchmarkItem old = items.get(2);
        List<BenchmarkItem> edited = new java.util.ArrayList<>(items);
        edited.set(2, new BenchmarkItem(old.id(), old.promptText(), old.promptWav(), "a new target", null));
        new ExperimentRunner(again, Progress.silent(), new SweepExpander(), spec -> edited).run(e, out);
        assertEquals(12, again.runs.get());
        assertTrue(again.ran.stream().allMatch(r -> r.endsWith("/utt2")));
    }

    @Test
    void aFailingCellIsRecordedAndTheOthersContinue() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        Path out = dir.resolve("out");
        FakeExecutor failing = new FakeExecutor(0, "l", "utt1");
        RunSummary s = TestSupport.runner(failing, Progress.silent()).run(e, out);
        assertEquals(12, s.cellsFailed(), "every l cell fails to open; every s cell fails on utt1");
        assertEquals(6 * 4, s.utterancesRun());
        assertEquals(6 + 6, s.failures().size());
        assertTrue(s.describe().contains("model l could not be loaded"), s.describe());
        assertTrue(s.describe().contains("utterance utt1: text too long for utt1"), s.describe());
        ObjectMapper json = new ObjectMapper();
        Cell lCell = new SweepExpander().expand(e).getLast();
        JsonNode status = json.readTree(new ResultsFolder(out).cellStatus(lCell.id()).toFile());
        assertEquals("failed", status.path("state").asText());
        assertTrue(status.path("errors").get(0).path("error").asText().contains("could not be loaded"));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("## Failures"), report);
        assertTrue(report.contains("model l could not be loaded"), report);

        FakeExecutor fixed = new FakeExecutor();
        RunSummary retry = TestSupport.runner(fixed, Progress.silent()).run(e, out);
        assertEquals(6 * 5 + 6, fixed.runs.get(), "the rerun retries only what failed");
        assertEquals(0, retry.cellsFailed());
        assertTrue(retry.failures().isEmpty());
    }

    @Test
    void savesTheChosenOrEveryCandidate() throws Exception {
        for (String mode : List.of("none", "best", "all")) {
            Path out = dir.resolve("out-" + mode);
            Experiment e = TestSupport.read(dir, TestSupport.smallExperiment(mode));
            TestSupport.runner(new FakeExecutor(), Progress.silent()).run(e, out);
            long wavs;
            try (Stream<Path> s = Files.walk(out)) {
                wavs = s.filter(p -> p.toString().endsWith(".wav")).count();
            }
            // budgets: sample 1, bon 1 2 4, beam 1 2 -> candidates kept min(budget, 2): 1+1+2+2+1+2 = 9 per model
            long expected = switch (mode) {
                case "none" -> 0;
                case "best" -> 2 * 6 * 5;
                default -> 2 * 9 * 5;
            };
            assertEquals(expected, wavs, mode);
        }
        Cell c = new SweepExpander().expand(TestSupport.read(dir, TestSupport.smallExperiment("all"))).get(3);
        Path wav = new ResultsFolder(dir.resolve("out-all")).audio(c.id(), TestSupport.items(5).get(3), 1);
        assertTrue(wav.getFileName().toString().startsWith("utt3_odd_id~"), wav.toString());
        assertEquals(160, Wav.read(wav).samples().length);
    }

    @Test
    void terminalProgressRedrawsOneLineWithAnEta() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TestSupport.runner(new FakeExecutor(), new Progress(new PrintStream(log, true), true))
                .run(TestSupport.read(dir, TestSupport.smallExperiment("none")), dir.resolve("out"));
        String text = log.toString();
        assertTrue(text.contains("\r60/60 utterances (100%)"), text);
        assertTrue(text.contains("ETA"), text);
    }
}
