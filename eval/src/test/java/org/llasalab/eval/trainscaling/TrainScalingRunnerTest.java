package org.llasalab.eval.trainscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.results.ResultTables;
import org.llasalab.io.DType;
import org.llasalab.io.LlamaConfig;
import org.llasalab.lm.RandomLlama;
import org.llasalab.train.TrainingSummary;
import org.llasalab.verify.Verifiers;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import org.llasalab.eval.experiment.Environment;
import org.llasalab.eval.experiment.Environments;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.TestSupport;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.run.SearchCellExecutor;

/**
 * The train-scaling study end to end on tiny fixtures: run folders with a loss.csv and a tiny exported
 * model (random weights of two sizes, the tiny Llasa tokenizer and X-codec2 decoder), one run that has
 * only a loss curve, the final experiment through the real executor, and a rerun that resumes.
 */
class TrainScalingRunnerTest {
    @TempDir
    Path dir;

    private static final String LOSS_SMALL = """
            step,tokens,flops,train_loss,heldout_loss,seconds
            10,1000,1.0e9,6.5,,1.5
            20,2000,2.0e9,6.0,5.8,3.0
            30,3000,3.0e9,5.5,,4.5
            40,4000,4.0e9,5.0,4.9,6.0
            """;
    private static final String LOSS_LARGE = """
            step,tokens,flops,train_loss,heldout_loss,seconds
            10,1000,5.0e9,6.0,5.5,2.0
            20,2000,1.0e10,5.0,4.5,4.0
            """;
    private static final String LOSS_UNEXPORTED = """
            step,tokens,flops,train_loss,heldout_loss,seconds
            10,1000,9.0e9,6.2,6.1,3.0
            """;

    private Path fixture() throws Exception {
        return Path.of(getClass().getResource("/tiny-llasa/model/config.json").toURI()).getParent().getParent();
    }

    /** A tiny exported model: random weights of the given width, the tiny Llasa tokenizer (512 ids). */
    private void exportModel(Path out, int hidden, int layers) throws Exception {
        Path model = out.resolve("model");
        RandomLlama.write(model, new LlamaConfig(hidden, layers, 2, 1, hidden / 2, 2 * hidden, 512, 1e-5, 10000.0,
                null, true, 1, new int[] {2}, 512), DType.F32, hidden);
        Files.copy(fixture().resolve("model/tokenizer.json"), model.resolve("tokenizer.json"));
    }

    private Path study(boolean trainMissing) throws Exception {
        Path codec = fixture().resolve("codec");
        for (String[] run : new String[][] {{"small", "16"}, {"large", "48"}, {"unexported", "32"}}) {
            Files.writeString(dir.resolve("train-" + run[0] + ".yaml"), TrainScalingStudyTest.trainingYaml(
                    Integer.parseInt(run[1]), codec.toString(), "runs/" + run[0]));
        }
        Path small = dir.resolve("runs/small");
        Path large = dir.resolve("runs/large");
        Path unexported = dir.resolve("runs/unexported");
        for (Path p : List.of(small, large, unexported)) Files.createDirectories(p);
        Files.writeString(small.resolve("loss.csv"), LOSS_SMALL);
        Files.writeString(large.resolve("loss.csv"), LOSS_LARGE);
        Files.writeString(unexported.resolve("loss.csv"), LOSS_UNEXPORTED);
        // the trainer's summary of the run so far (its newest checkpoint): the size of a run not exported yet
        new TrainingSummary(34_567, 10, 1000, 600, 9.0e9, 3.0, 6.1).write(unexported);
        exportModel(small, 16, 1);
        exportModel(large, 48, 2);
        // small's export is from update 30 (its run went on): the export's summary.json describes it
        new TrainingSummary(LlamaConfig.load(small.resolve("model")).parameterCount(), 30, 3000, 2100, 3.0e9, 4.5,
                5.1234).write(small.resolve("model"));
        // large was exported before the trainer wrote summaries: its facts are the curve's last row
        return TestSupport.write(dir, "study.yaml", """
                study: train-scaling
                runs:
                  small: train-small.yaml
                  large: train-large.yaml
                  unexported: train-unexported.yaml
                train_missing: %s
                final:
                  dataset: {name: tiny-test}
                  strategies:
                    sample: {type: sample, budgets: [1]}
                    unprompted: {type: sample, voice_prompt: false, budgets: [1]}
                  verifiers:
                    level: {type: test-level}
                    ref: {type: test-prompt-seconds}
                  sampling: {temperature: 1.0, max_tokens: 6}
                  seeds: [1]
                """.formatted(trainMissing));
    }

    private Environment environment() {
        Environment d = Environments.discover();
        return new Environment(d.strategyTypes(), d.budgetParameters(), java.util.Set.copyOf(Verifiers.types()),
                d.models(), d.codecs(), Map.of("tiny-test", dir.resolve("unused.lst")), d.strategyCheck());
    }

    /** Two items whose voice prompts are given as codes beside the WAV (this decoder-only X-codec2 cannot encode). */
    private List<BenchmarkItem> items() throws IOException {
        Path wav = dir.resolve("prompt.wav");
        Wav.write(wav, new Audio(new float[4000], 16000), false);
        Files.writeString(dir.resolve("prompt.codes.json"), "[3, 4, 5, 6]");
        return List.of(new BenchmarkItem("a", "hello", wav, "hello world", null),
                new BenchmarkItem("b", "world", wav, "hello", null));
    }

    private TrainScalingRunner runner(List<BenchmarkItem> items, TrainScalingRunner.RunTrainer trainer,
            List<String> log) {
        return new TrainScalingRunner(SearchCellExecutor::new, spec -> items, Progress.silent(), trainer, log::add);
    }

    @Test
    void drawsCurvesEvaluatesTheExportedModelsAndResumes() throws Exception {
        TrainScalingStudy study = TrainScalingStudy.read(study(false), environment());
        List<BenchmarkItem> items = items();
        Path out = dir.resolve("out");
        List<String> log = new ArrayList<>();
        TrainScalingRunner.Outcome first = runner(items, r -> {
            throw new AssertionError("train_missing is false");
        }, log).run(study, out);

        long smallParams = LlamaConfig.load(dir.resolve("runs/small/model")).parameterCount();
        long largeParams = LlamaConfig.load(dir.resolve("runs/large/model")).parameterCount();
        assertEquals(512L * 16 + (2L * 16 * 16 + 2L * 16 * 8 + 3L * 16 * 32 + 2 * 16) + 16, smallParams);
        assertTrue(largeParams > smallParams);

        // curves.csv: every loss.csv row of every run, with the run's size (from its summary.json when not exported)
        Table curves = Table.read().csv(out.resolve(TrainScalingRunner.CURVES_CSV).toFile());
        assertEquals(4 + 2 + 1, curves.rowCount());
        assertEquals(List.of("run", "parameters", "step", "tokens", "speech_tokens", "flops", "train_loss",
                "heldout_loss", "seconds"), curves.columnNames());
        Row r = curves.row(1);
        assertEquals("small", r.getString("run"));
        assertEquals(smallParams, ((Number) r.getObject("parameters")).longValue());
        assertEquals(20, ((Number) r.getObject("step")).longValue());
        assertEquals(2.0e9, r.getDouble("flops"));
        assertEquals(5.8, r.getDouble("heldout_loss"));
        assertTrue(curves.doubleColumn("heldout_loss").isMissing().contains(0), "no evaluation at step 10: empty");
        assertEquals(34_567L, ((Number) curves.row(6).getObject("parameters")).longValue());
        for (String chart : List.of(TrainScalingRunner.LOSS_CHART, TrainScalingRunner.LOSS_TOKENS_CHART,
                TrainScalingRunner.QUALITY_CHART)) {
            for (String ext : List.of(".png", ".svg")) {
                Path f = out.resolve("charts").resolve(chart + ext);
                assertTrue(Files.size(f) > 1000, f + " is written");
            }
        }

        // the final experiment: 2 exported models x 2 strategies, in OUT/final
        assertEquals(4, first.finalSummary().cells());
        assertTrue(first.finalSummary().failures().isEmpty(), first.finalSummary().describe());
        assertEquals(4 * 2, first.finalSummary().utterancesRun());
        assertTrue(Files.isRegularFile(out.resolve("final/aggregate.csv")));
        assertTrue(first.notes().stream().anyMatch(n -> n.startsWith("run unexported: no exported model")), first.notes().toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("run unexported: no exported model")), log.toString());

        Table scaling = Table.read().csv(out.resolve(TrainScalingRunner.SCALING_CSV).toFile());
        assertEquals(List.of("small", "large", "unexported"), scaling.stringColumn("run").asList());
        Row small = scaling.row(0);
        assertEquals(smallParams, small.getNumber("parameters"));
        assertEquals(2100, small.getNumber("speech_tokens"), "the export's summary: speech targets");
        assertEquals(3.0e9, small.getNumber("flops"), "the export's summary, not the curve's last row");
        assertEquals(4.5, small.getNumber("seconds"));
        assertEquals(5.1234, small.getNumber("heldout_loss"), "the export's summary: held-out loss");
        assertEquals("evaluated", small.getString("status"));
        Row large = scaling.row(1);
        assertEquals(1.0e10, large.getNumber("flops"), "without a summary: the last row");
        assertEquals(4.5, large.getNumber("heldout_loss"));
        assertTrue(Double.isNaN(large.getNumber("speech_tokens")));
        assertEquals("no model", scaling.row(2).getString("status"));
        assertTrue(Double.isNaN(scaling.row(2).getNumber("level.sample.mean")));

        // quality columns: the aggregate of the final experiment's cell
        Table aggregate = ResultTables.read(out.resolve("final/aggregate.csv"));
        for (String model : List.of("small", "large")) {
            Row s = scaling.row(model.equals("small") ? 0 : 1);
            for (String strategy : List.of("sample", "unprompted")) {
                for (String metric : List.of("level", "ref")) {
                    Table a = aggregate.where(aggregate.stringColumn("model").isEqualTo(model)
                            .and(aggregate.stringColumn("strategy").isEqualTo(strategy))
                            .and(aggregate.stringColumn("metric").isEqualTo(metric)));
                    String key = metric + "." + strategy;
                    assertEquals(a.doubleColumn("mean").get(0), s.getNumber(key + ".mean"), 1e-12, model + " " + key);
                    assertEquals(a.doubleColumn("ci_low").get(0), s.getNumber(key + ".ci_low"), 1e-12);
                    assertEquals(a.doubleColumn("ci_high").get(0), s.getNumber(key + ".ci_high"), 1e-12);
                    assertEquals(2, s.getNumber(key + ".n"));
                }
            }
            // both settings are judged against the same 0.25 s speaker reference
            assertEquals(0.25, s.getNumber("ref.sample.mean"), 1e-9);
            assertEquals(0.25, s.getNumber("ref.unprompted.mean"), 1e-9);
        }
        String report = Files.readString(out.resolve(TrainScalingRunner.REPORT));
        for (String link : List.of("(curves.csv)", "(scaling.csv)", "(final/report.md)",
                "charts/heldout-loss-vs-flops.png", "charts/heldout-loss-vs-tokens.svg",
                "charts/quality-vs-parameters.svg", "| unexported |", "(differences.csv)",
                "## Against the largest model (large)", "| small | level | unprompted |")) {
            assertTrue(report.contains(link), link + " in\n" + report);
        }
        List<String> diffs = Files.readAllLines(out.resolve(TrainScalingRunner.DIFFERENCES_CSV));
        assertEquals(1 + 2 * 2, diffs.size(), "small against large: 2 metrics x 2 strategies\n" + diffs);
        // the speaker reference is the same prompt for both models: no difference at all
        assertTrue(diffs.stream().filter(l -> l.startsWith("small,large,ref,"))
                .allMatch(l -> l.endsWith(",not distinguishable")), diffs.toString());

        // a rerun redoes none of the final cells and rewrites the same tables
        String before = Files.readString(out.resolve(TrainScalingRunner.SCALING_CSV));
        TrainScalingRunner.Outcome again = runner(items, run -> {
            throw new AssertionError("train_missing is false");
        }, new ArrayList<>()).run(study, out);
        assertEquals(0, again.finalSummary().utterancesRun());
        assertEquals(4, again.finalSummary().cellsSkipped());
        assertEquals(before, Files.readString(out.resolve(TrainScalingRunner.SCALING_CSV)));
        List<String> plan = runner(items, run -> {}, new ArrayList<>()).plan(study, out);
        assertEquals(4, plan.stream().filter(l -> l.startsWith("final cell") && l.endsWith("2/2 utterances done")).count(),
                String.join("\n", plan));
    }

    @Test
    void aRunNotTrainedHereReadsTheCopyShippedInTheCatalogue() throws Exception {
        Path studyFile = study(false);
        Path shipped = dir.resolve("shipped/unexported");
        Files.createDirectories(shipped);
        exportModel(shipped, 24, 1);
        try (var files = Files.list(shipped.resolve("model"))) {
            for (Path f : files.toList()) Files.move(f, shipped.resolve(f.getFileName()));
        }
        Files.writeString(shipped.resolve("loss.csv"), LOSS_LARGE);
        Environment d = environment();
        Environment withShipped = new Environment(d.strategyTypes(), d.budgetParameters(), d.verifierTypes(),
                Map.of("unexported", shipped), d.codecs(), d.datasets(), d.strategyCheck());
        TrainScalingStudy study = TrainScalingStudy.read(studyFile, withShipped);
        TrainScalingRunner.Outcome o = runner(items(), run -> {
            throw new AssertionError("train_missing is false");
        }, new ArrayList<>()).run(study, dir.resolve("out"));
        assertEquals(3 * 2, o.finalSummary().cells(), "the shipped model is evaluated too");
        assertTrue(o.notes().stream().anyMatch(n -> n.contains("run unexported: not trained here")
                && n.contains("reading the shipped copy")), o.notes().toString());
        Table scaling = Table.read().csv(dir.resolve("out").resolve(TrainScalingRunner.SCALING_CSV).toFile());
        assertEquals("evaluated", scaling.row(2).getString("status"));
        assertEquals(LlamaConfig.load(shipped).parameterCount(), scaling.row(2).getNumber("parameters"));
        assertEquals(1.0e10, scaling.row(2).getNumber("flops"), "the shipped loss.csv");
        // once the run's own output holds an exported model, that one is read instead
        exportModel(dir.resolve("runs/unexported"), 32, 1);
        TrainScalingStudy.Run run = TrainScalingStudy.read(studyFile, withShipped).runs().get("unexported");
        assertFalse(run.usesShipped());
        assertEquals(dir.resolve("runs/unexported/model").toAbsolutePath().normalize(),
                run.model().toAbsolutePath().normalize());
    }

    @Test
    void trainMissingTrainsOnlyTheRunsWithoutAnExportedModel() throws Exception {
        TrainScalingStudy study = TrainScalingStudy.read(study(true), environment());
        List<String> trained = new ArrayList<>();
        TrainScalingRunner.Outcome o = runner(items(), run -> {
            trained.add(run.name());
            exportModel(run.output(), 32, 1);
        }, new ArrayList<>()).run(study, dir.resolve("out"));
        assertEquals(List.of("unexported"), trained);
        assertEquals(3 * 2, o.finalSummary().cells(), "the freshly trained model is evaluated too");
        assertTrue(o.notes().isEmpty(), o.notes().toString());
    }

    @Test
    void aStudyDrawsWhatExistsWhenNoRunIsExported() throws Exception {
        TrainScalingStudy study = TrainScalingStudy.read(study(false), environment());
        for (String run : List.of("small", "large")) {
            try (var files = Files.walk(dir.resolve("runs").resolve(run).resolve("model"))) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
        Files.delete(dir.resolve("runs/large/loss.csv"));
        Path out = dir.resolve("out");
        TrainScalingRunner.Outcome o = runner(items(), run -> {}, new ArrayList<>()).run(study, out);
        assertEquals(null, o.finalSummary());
        assertTrue(o.notes().stream().anyMatch(n -> n.contains("run large: no loss curve")), o.notes().toString());
        assertTrue(o.notes().stream().anyMatch(n -> n.contains("the final experiment was not run")));
        assertEquals(4 + 1, Table.read().csv(out.resolve(TrainScalingRunner.CURVES_CSV).toFile()).rowCount());
        assertTrue(Files.isRegularFile(out.resolve("charts").resolve(TrainScalingRunner.LOSS_CHART + ".png")));
        assertFalse(Files.exists(out.resolve("charts").resolve(TrainScalingRunner.QUALITY_CHART + ".png")));
        assertTrue(Files.isRegularFile(out.resolve(TrainScalingRunner.REPORT)));
    }

    @Test
    void pairedDifferencesSeeAGapThatTheSpreadBetweenUtterancesHides() throws Exception {
        Experiment fin = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        tech.tablesaw.api.StringColumn model = tech.tablesaw.api.StringColumn.create("model");
        tech.tablesaw.api.StringColumn strategy = tech.tablesaw.api.StringColumn.create("strategy");
        tech.tablesaw.api.IntColumn budget = tech.tablesaw.api.IntColumn.create("budget");
        tech.tablesaw.api.LongColumn seed = tech.tablesaw.api.LongColumn.create("seed");
        tech.tablesaw.api.StringColumn utterance = tech.tablesaw.api.StringColumn.create("utterance");
        tech.tablesaw.api.DoubleColumn wer = tech.tablesaw.api.DoubleColumn.create("wer");
        tech.tablesaw.api.DoubleColumn sim = tech.tablesaw.api.DoubleColumn.create("sim");
        java.util.Random random = new java.util.Random(3);
        for (int u = 0; u < 30; u++) {
            double hard = random.nextDouble(); // utterances differ far more than the models do
            for (String m : List.of("s", "l")) {
                for (String st : List.of("sample", "bon")) {
                    model.append(m);
                    strategy.append(st);
                    budget.append(st.equals("bon") ? 4 : 1);
                    seed.append(7);
                    utterance.append("utt" + u);
                    wer.append(hard + (m.equals("s") ? 0.05 + 0.01 * random.nextGaussian() : 0));
                    sim.append(hard);
                }
            }
        }
        Table results = Table.create("results", model, strategy, budget, seed, utterance, wer, sim);
        List<RunFacts> facts = new ArrayList<>();
        for (String[] r : new String[][] {{"s", "1000"}, {"l", "5000"}}) {
            facts.add(new RunFacts(new TrainScalingStudy.Run(r[0], null, null, null, null),
                    Long.parseLong(r[1]), List.of(), true, -1, Double.NaN, Double.NaN, Double.NaN, null));
        }
        List<PairedDifferences.Difference> d = PairedDifferences.differences(fin, results, facts,
                Map.of("wer", "lower", "sim", "higher"));
        assertEquals(3 * 2, d.size(), "s against l: 3 strategies x 2 metrics (beam has no rows)");
        PairedDifferences.Difference werSample = d.stream()
                .filter(x -> x.metric().equals("wer") && x.strategy().equals("sample")).findFirst().orElseThrow();
        assertEquals("l", werSample.reference());
        assertEquals(30, werSample.interval().n());
        assertEquals(0.05, werSample.interval().mean(), 0.01);
        assertEquals("worse", werSample.verdict(), "higher WER than the largest model");
        // unpaired, the two means' intervals overlap: the spread between utterances hides the gap
        Table sRows = results.where(results.stringColumn("model").isEqualTo("s").and(results.stringColumn("strategy").isEqualTo("sample")));
        Table lRows = results.where(results.stringColumn("model").isEqualTo("l").and(results.stringColumn("strategy").isEqualTo("sample")));
        assertTrue(org.llasalab.eval.stats.Bootstrap.meanInterval95(sRows.doubleColumn("wer").asDoubleArray()).low()
                < org.llasalab.eval.stats.Bootstrap.meanInterval95(lRows.doubleColumn("wer").asDoubleArray()).high());
        assertTrue(d.stream().filter(x -> x.metric().equals("sim") && x.interval().n() > 0)
                .allMatch(x -> x.verdict().equals("not distinguishable")));
        assertTrue(d.stream().filter(x -> x.strategy().equals("beam")).allMatch(x -> x.verdict().equals("no shared utterances")));
        assertTrue(PairedDifferences.differencesCsv(d).startsWith(
                "run,reference,metric,strategy,mean_difference,ci_low,ci_high,n,verdict\r\n"));
    }

    @Test
    void twoDataBudgetsDrawALinePerFamilyAndCompareWithTheLargestOfTheBiggestBudget() throws Exception {
        Experiment fin = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        List<RunFacts> facts = new ArrayList<>();
        Map<String, Map<String, org.llasalab.eval.stats.Bootstrap.Interval>> quality = new java.util.LinkedHashMap<>();
        // name, parameters, speech tokens seen (a run overshoots its budget by part of a batch), WER
        Object[][] runs = {{"s", 1000L, 4_000_208L, 0.50}, {"l", 5000L, 4_000_950L, 0.35}, {"s-8m", 1000L, 8_000_311L, 0.45},
            {"l-8m", 5000L, 8_001_020L, 0.28}, {"untrained", 9000L, -1L, Double.NaN}};
        for (Object[] r : runs) {
            String name = (String) r[0];
            facts.add(new RunFacts(new TrainScalingStudy.Run(name, null, null, null, null), (long) r[1],
                    List.of(), !name.equals("untrained"), (long) r[2], Double.NaN, Double.NaN, Double.NaN, null));
            if (!name.equals("untrained")) {
                double w = (double) r[3];
                quality.put(name, Map.of("wer.sample", new org.llasalab.eval.stats.Bootstrap.Interval(w, w - 0.02, w + 0.02, 300)));
            }
        }
        assertEquals(4_000_000, ScalingTables.dataBudget(facts.get(1)));
        assertEquals(8_000_000, ScalingTables.dataBudget(facts.get(3)));
        assertEquals("4M", ScalingTables.shortCount(4_000_000));
        assertEquals("2.5M", ScalingTables.shortCount(2_500_000));
        assertEquals("500k", ScalingTables.shortCount(500_000));

        var lines = ScalingTables.lines(facts, quality, fin).get("wer").stream().filter(l -> !l.points().isEmpty())
                .toList();   // the other strategies were not scored here
        assertEquals(List.of("sample, 4M tokens", "sample, 8M tokens"), lines.stream().map(l -> l.label()).toList(),
                "two budgets: a line per strategy and budget, none mixes them, the biggest budget last");
        assertEquals(List.of(1000.0, 5000.0), lines.get(0).points().stream().map(p -> p.x()).toList());
        assertEquals(List.of(0.45, 0.28), lines.get(1).points().stream().map(p -> p.mean()).toList());

        quality.remove("s-8m");
        quality.remove("l-8m");
        var oneFamily = ScalingTables.lines(facts.subList(0, 2), quality, fin).get("wer").stream()
                .filter(l -> !l.points().isEmpty()).toList();
        assertEquals(1, oneFamily.size());
        assertEquals("sample", oneFamily.get(0).label(), "one budget: a line per strategy");
        assertEquals(List.of(0.50, 0.35), oneFamily.get(0).points().stream().map(p -> p.mean()).toList());

        // the reference of the paired differences: the most parameters, then the most data (not the untrained one)
        Table results = Table.create("results", tech.tablesaw.api.StringColumn.create("model"),
                tech.tablesaw.api.StringColumn.create("strategy"), tech.tablesaw.api.IntColumn.create("budget"),
                tech.tablesaw.api.LongColumn.create("seed"), tech.tablesaw.api.StringColumn.create("utterance"),
                tech.tablesaw.api.DoubleColumn.create("wer"), tech.tablesaw.api.DoubleColumn.create("sim"));
        Experiment withModels = new Experiment(fin.file(), fin.name(), Map.of("s", fin.models().values().iterator().next(),
                "l", fin.models().values().iterator().next(), "s-8m", fin.models().values().iterator().next(),
                "l-8m", fin.models().values().iterator().next()), fin.dataset(), fin.strategies(), fin.verifiers(),
                fin.evaluate(), fin.sampling(), fin.seeds(), fin.zip(), fin.output());
        List<PairedDifferences.Difference> d = PairedDifferences.differences(withModels, results, facts,
                Map.of("wer", "lower", "sim", "higher"));
        assertFalse(d.isEmpty());
        assertTrue(d.stream().allMatch(x -> x.reference().equals("l-8m")), "l-8m: as many parameters as l, more data");
        assertEquals(java.util.Set.of("s", "l", "s-8m"), d.stream().map(PairedDifferences.Difference::run)
                .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aMalformedLossCsvNamesItsFileAndLine() throws Exception {
        Path f = dir.resolve("loss.csv");
        Files.writeString(f, LOSS_SMALL.replace("3.0e9", "lots"));
        IOException e = assertThrows(IOException.class, () -> LossRow.read(f));
        assertTrue(e.getMessage().startsWith(f + ":4: column 'flops': 'lots' is not a number"), e.getMessage());
        Files.writeString(f, "step,tokens,train_loss,seconds\n1,2,3,4\n");
        e = assertThrows(IOException.class, () -> LossRow.read(f));
        assertTrue(e.getMessage().startsWith(f + ":1: loss.csv has no column 'flops'"), e.getMessage());
        // a resumed run repeats the steps after its checkpoint: the last row of a step wins
        Files.writeString(f, LOSS_SMALL + "30,3000,3.0e9,5.4,,9.0\n");
        List<LossRow> rows = LossRow.read(f);
        assertEquals(4, rows.size());
        assertEquals(9.0, rows.get(2).seconds());
        // speech_tokens: an optional trailing column, empty on rows an older trainer wrote
        Files.writeString(f, "step,tokens,flops,train_loss,heldout_loss,seconds,speech_tokens\n"
                + "10,1000,1.0e9,6.5,,1.5,\n20,2000,2.0e9,6.0,5.8,3.0,1300\n");
        rows = LossRow.read(f);
        assertEquals(-1, rows.get(0).speechTokens());
        assertEquals(1300, rows.get(1).speechTokens());
        Files.writeString(f, "step,tokens,flops,train_loss,heldout_loss,seconds,speech_tokens\n10,1000,1.0e9,6.5,,1.5,x\n");
        e = assertThrows(IOException.class, () -> LossRow.read(f));
        assertTrue(e.getMessage().startsWith(f + ":2: column 'speech_tokens': 'x' is not a number"), e.getMessage());
    }
}
