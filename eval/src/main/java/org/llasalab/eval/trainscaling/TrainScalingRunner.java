package org.llasalab.eval.trainscaling;

import static org.llasalab.eval.trainscaling.ScalingTables.count;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.experiment.SweepExpander;
import org.llasalab.eval.results.ResultTables;
import org.llasalab.eval.results.UtteranceStore;
import org.llasalab.eval.run.CellExecutor;
import org.llasalab.eval.run.ExperimentRunner;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.run.RunSummary;
import org.llasalab.eval.run.SearchCellExecutor;
import org.llasalab.eval.stats.Bootstrap;
import org.llasalab.eval.trainscaling.PairedDifferences.Difference;
import org.llasalab.eval.trainscaling.TrainScalingStudy.Run;
import org.llasalab.io.AtomicFiles;
import org.llasalab.train.NativeBackend;
import org.llasalab.train.TrainingConfig;
import org.llasalab.train.TrainingRun;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * Runs a {@link TrainScalingStudy} into a folder:
 * <pre>
 * OUT/curves.csv                       every run's loss.csv rows: run, parameters, step, tokens, speech_tokens,
 *                                      flops, train_loss, heldout_loss, seconds
 * OUT/charts/heldout-loss-vs-flops.*   held-out loss vs training FLOPs (log x), a line per run
 * OUT/final/                           the final experiment over the exported models (an ordinary results folder)
 * OUT/scaling.csv                      a row per run: parameters, speech tokens, FLOPs, wall seconds and held-out
 *                                      loss of the exported model (its summary.json, see {@link RunFacts}); per
 *                                      metric x strategy mean, ci_low, ci_high, n
 * OUT/charts/quality-vs-parameters.*   a panel per metric, a line per strategy (per strategy and data budget
 *                                      when the runs were trained on different numbers of speech tokens),
 *                                      95% intervals, log x
 * OUT/differences.csv                  each run against the largest (most parameters, then most speech
 *                                      tokens): per metric x strategy, the mean paired
 *                                      difference on the same utterances and seeds, its 95% bootstrap interval
 *                                      and a verdict (worse / better / not distinguishable)
 * OUT/report.md                        all of the above, linked, with the scaling table
 * </pre>
 * A run without loss.csv or without an exported model is reported and left out of what needs it (or,
 * with {@code train_missing}, trained first). The final experiment resumes like any run; everything
 * else is redrawn from the run folders each time.
 *
 * <p>The steps: train the missing runs, read each run's {@link RunFacts}, draw the loss curves, evaluate
 * the exported models (the final experiment), then the {@link ScalingTables}, {@link PairedDifferences},
 * the quality chart and the {@link ScalingReport}.
 */
public final class TrainScalingRunner {
    public static final String CURVES_CSV = "curves.csv";
    public static final String SCALING_CSV = "scaling.csv";
    public static final String REPORT = "report.md";
    public static final String DIFFERENCES_CSV = "differences.csv";
    public static final String LOSS_CHART = "heldout-loss-vs-flops";
    /** The same curves against tokens seen: at equal data, a bigger model should sit lower. */
    public static final String LOSS_TOKENS_CHART = "heldout-loss-vs-tokens";
    public static final String QUALITY_CHART = "quality-vs-parameters";

    /** Trains (or resumes) one run and exports its model. */
    @FunctionalInterface
    public interface RunTrainer {
        void train(Run run) throws Exception;
    }

    /** What a study run did: its runs, the final experiment's summary (null: not run) and every note. */
    public record Outcome(List<RunFacts> runs, RunSummary finalSummary, List<String> notes) {}

    /**
     * What the final experiment measured: its summary, per run the quality per {@code METRIC.STRATEGY}, each
     * metric's direction and the paired differences against the largest run.
     */
    private record Evaluation(RunSummary summary, Map<String, Map<String, Bootstrap.Interval>> quality,
            Map<String, String> directions, List<Difference> differences) {
        static final Evaluation NONE = new Evaluation(null, Map.of(), Map.of(), List.of());
    }

    private final Function<Experiment, CellExecutor> executors;
    private final Function<Experiment.DatasetSpec, List<BenchmarkItem>> dataset;
    private final Progress progress;
    private final RunTrainer trainer;
    private final Consumer<String> log;

    /** The real thing: the search executor, the experiment's dataset, the project's trainer. */
    public TrainScalingRunner(Progress progress, Consumer<String> log) {
        this(SearchCellExecutor::new, ExperimentRunner::loadItems, progress, TrainScalingRunner::train, log);
    }

    public TrainScalingRunner(Function<Experiment, CellExecutor> executors,
            Function<Experiment.DatasetSpec, List<BenchmarkItem>> dataset, Progress progress, RunTrainer trainer,
            Consumer<String> log) {
        this.executors = executors;
        this.dataset = dataset;
        this.progress = progress;
        this.trainer = trainer;
        this.log = log;
    }

    /** The project's trainer, resuming from the newest checkpoint when there is one. */
    static void train(Run run) throws IOException {
        TrainingConfig config = TrainingConfig.load(run.configFile()); // now its data files must exist
        NativeBackend.select(config.nativeBuild(), config.threads());
        new TrainingRun(config, "llasa train " + run.configFile() + " --resume").run(true);
    }

    public Outcome run(TrainScalingStudy study, Path out) throws Exception {
        List<String> notes = new ArrayList<>();
        if (study.trainMissing()) trainMissing(study, notes);
        List<RunFacts> facts = readFacts(study, notes);
        notes.forEach(n -> log.accept("note: " + n));
        Files.createDirectories(out.resolve("charts"));
        AtomicFiles.write(out.resolve(CURVES_CSV), ScalingTables.curvesCsv(facts));
        drawLossCurves(facts, out.resolve("charts"));

        Experiment fin = finalExperiment(study, facts, out);
        Evaluation evaluation = Evaluation.NONE;
        if (fin == null) {
            notes.add("no run has an exported model yet: the final experiment was not run");
        } else {
            evaluation = evaluate(fin, facts, notes);
        }
        Table scaling = writeTablesAndQualityChart(fin, facts, evaluation, out);
        AtomicFiles.write(out.resolve(REPORT), ScalingReport.report(study, facts, scaling, fin != null,
                evaluation.differences(), notes));
        return new Outcome(facts, evaluation.summary(), notes);
    }

    /** Trains (resumes) each run without an exported model; a failure becomes a note. */
    private void trainMissing(TrainScalingStudy study, List<String> notes) {
        for (Run r : study.runs().values()) {
            if (r.trained()) continue;
            log.accept("training " + r.name() + " (" + r.configFile() + ") into " + r.output());
            try {
                trainer.train(r);
            } catch (Exception ex) {
                notes.add("run " + r.name() + ": training failed: " + ExperimentRunner.message(ex));
            }
        }
    }

    /** Every run's facts, in the study's order; a run read from its shipped copy or missing a part gets a note. */
    private static List<RunFacts> readFacts(TrainScalingStudy study, List<String> notes) throws IOException {
        List<RunFacts> facts = new ArrayList<>();
        for (Run r : study.runs().values()) {
            if (r.usesShipped()) {
                notes.add("run " + r.name() + ": not trained here (" + r.output() + " has no exported model): "
                        + "reading the shipped copy " + r.model());
            }
            RunFacts f = RunFacts.read(r);
            if (f.problem() != null) notes.add("run " + r.name() + ": " + f.problem());
            facts.add(f);
        }
        return facts;
    }

    /** Held-out loss against training FLOPs, and against tokens seen. */
    private static void drawLossCurves(List<RunFacts> facts, Path charts) throws IOException {
        TrainScalingCharts.heldoutLoss(ScalingTables.curves(facts, LossRow::flops), "held-out loss vs training compute",
                "training FLOPs", charts.resolve(LOSS_CHART));
        // the token budget of a run counts speech tokens: draw against them when every curve records them
        boolean speech = facts.stream().flatMap(f -> f.curve().stream())
                .allMatch(r -> Double.isNaN(r.heldoutLoss()) || r.speechTokens() >= 0);
        TrainScalingCharts.heldoutLoss(ScalingTables.curves(facts, r -> (double) (speech ? r.speechTokens() : r.tokens())),
                "held-out loss vs training tokens", speech ? "speech tokens seen (the loss targets)"
                        : "training tokens seen (text and speech)", charts.resolve(LOSS_TOKENS_CHART));
    }

    /** Runs (resumes) the final experiment and measures its results: quality, directions, paired differences. */
    private Evaluation evaluate(Experiment fin, List<RunFacts> facts, List<String> notes) throws Exception {
        RunSummary summary;
        try (CellExecutor executor = executors.apply(fin)) {
            summary = new ExperimentRunner(executor, progress, new SweepExpander(), dataset).run(fin, fin.output().dir());
        }
        if (!summary.failures().isEmpty()) notes.add("final experiment: " + summary.describe());
        ResultsFolder folder = new ResultsFolder(fin.output().dir());
        Table results = ResultTables.read(folder.file(ResultsFolder.RESULTS_CSV));
        Map<String, String> directions = new LinkedHashMap<>();
        for (Row r : ResultTables.read(folder.file(ResultsFolder.METRICS_CSV))) {
            directions.put(r.getString("metric"), r.getString("direction"));
        }
        return new Evaluation(summary, ScalingTables.quality(fin, results), directions,
                PairedDifferences.differences(fin, results, facts, directions));
    }

    /**
     * differences.csv (when any), scaling.csv and the quality chart (when evaluated); stale ones are removed.
     * Returns the scaling table.
     */
    private static Table writeTablesAndQualityChart(Experiment fin, List<RunFacts> facts, Evaluation evaluation,
            Path out) throws IOException {
        Files.deleteIfExists(out.resolve(DIFFERENCES_CSV));
        if (!evaluation.differences().isEmpty()) {
            AtomicFiles.write(out.resolve(DIFFERENCES_CSV), PairedDifferences.differencesCsv(evaluation.differences()));
        }
        Files.deleteIfExists(out.resolve("charts").resolve(QUALITY_CHART + ".png"));
        Files.deleteIfExists(out.resolve("charts").resolve(QUALITY_CHART + ".svg"));
        List<String> columns = fin == null ? List.of() : ScalingTables.qualityColumns(fin);
        Table scaling = ScalingTables.scalingTable(facts, evaluation.quality(), columns);
        ResultTables.writeCsv(scaling, out.resolve(SCALING_CSV));
        if (fin != null) {
            TrainScalingCharts.qualityVsParameters(ScalingTables.lines(facts, evaluation.quality(), fin),
                    evaluation.directions(), out.resolve("charts").resolve(QUALITY_CHART));
        }
        return scaling;
    }

    /** The final block over the runs that have an exported model, into OUT/final. */
    static Experiment finalExperiment(TrainScalingStudy study, List<RunFacts> facts, Path out) {
        Experiment e = study.finalExperiment();
        Map<String, Experiment.ModelSpec> models = new LinkedHashMap<>();
        for (RunFacts f : facts) {
            if (f.hasModel()) models.put(f.run().name(), e.models().get(f.run().name()));
        }
        if (models.isEmpty()) return null;
        return new Experiment(e.file(), e.name(), models, e.dataset(), e.strategies(), e.verifiers(), e.evaluate(),
                e.sampling(), e.seeds(), e.zip(), new Experiment.Output(out.resolve("final"), e.output().saveAudio()));
    }

    /** What {@code run} would do, one line each (for {@code --dry-run}). */
    public List<String> plan(TrainScalingStudy study, Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        List<RunFacts> facts = new ArrayList<>();
        for (Run r : study.runs().values()) {
            if (r.usesShipped()) {
                lines.add(r.name() + ": not trained here (" + r.output() + " has no exported model): "
                        + "the shipped copy " + r.model() + " is read");
            }
            RunFacts f = RunFacts.read(r);
            facts.add(f);
            String curve = !Files.isRegularFile(r.lossCsv()) ? "no loss curve (" + r.lossCsv() + " not found)"
                    : f.curve().size() + " loss.csv rows";
            String model = f.hasModel() ? "exported model " + r.model() + " (" + count(f.parameters()) + " parameters)"
                    : study.trainMissing() ? "no exported model: would train (resume) " + r.configFile()
                    : "no exported model: left out (train it: llasa train " + r.configFile() + " --resume)";
            lines.add(r.name() + ": " + curve + "; " + model);
        }
        Experiment fin = finalExperiment(study, facts, out);
        if (fin == null) {
            lines.add("final experiment: no exported model yet, nothing to evaluate");
            return lines;
        }
        ExperimentRunner runner = new ExperimentRunner(null, Progress.silent(), new SweepExpander(), dataset);
        List<BenchmarkItem> items = runner.items(fin);
        ResultsFolder folder = new ResultsFolder(fin.output().dir());
        for (Cell c : runner.cells(fin)) {
            long done = items.stream().filter(i -> UtteranceStore.isDone(folder, c, i)).count();
            lines.add("final cell " + c.id() + " (" + c.label() + "): " + done + "/" + items.size() + " utterances done");
        }
        lines.add("then: " + out.resolve(CURVES_CSV) + ", " + out.resolve(SCALING_CSV) + ", charts, "
                + out.resolve(REPORT));
        return lines;
    }
}
