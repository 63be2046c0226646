package org.llasalab.eval.trainscaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.trainscaling.TrainScalingCharts.Curve;
import org.llasalab.eval.trainscaling.TrainScalingCharts.Line;
import org.llasalab.eval.trainscaling.TrainScalingCharts.Point;
import org.llasalab.eval.trainscaling.TrainScalingStudy.Run;
import org.llasalab.eval.io.Csv;
import org.llasalab.eval.results.ResultTables;
import org.llasalab.eval.stats.Bootstrap;
import org.llasalab.io.AtomicFiles;
import org.llasalab.io.LlamaConfig;
import org.llasalab.train.NativeBackend;
import org.llasalab.train.TrainingConfig;
import org.llasalab.train.TrainingRun;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.run.CellExecutor;
import org.llasalab.eval.run.ExperimentRunner;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.run.RunSummary;
import org.llasalab.eval.run.SearchCellExecutor;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.experiment.SweepExpander;

/**
 * Runs a {@link TrainScalingStudy} into a folder:
 * <pre>
 * OUT/curves.csv                       every run's loss.csv rows: run, parameters, step, tokens, speech_tokens,
 *                                      flops, train_loss, heldout_loss, seconds
 * OUT/charts/heldout-loss-vs-flops.*   held-out loss vs training FLOPs (log x), a line per run
 * OUT/final/                           the final experiment over the exported models (an ordinary results folder)
 * OUT/scaling.csv                      a row per run: parameters, speech tokens, FLOPs, wall seconds and held-out
 *                                      loss of the exported model; per metric x strategy mean, ci_low, ci_high, n
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
    static final List<String> LOSS_COLUMNS = List.of("step", "tokens", "flops", "heldout_loss", "seconds");
    private static final Pattern CARD_UPDATES = Pattern.compile("\\|\\s*updates\\s*\\|\\s*([\\d,]+)");
    private static final Pattern CARD_SPEECH = Pattern.compile("speech targets ([\\d,]+)");
    private static final Pattern CARD_HELDOUT = Pattern.compile("\\|\\s*held-out loss\\s*\\|\\s*([0-9.]+)");
    private static final Pattern LOG_PARAMETERS = Pattern.compile("\\| ([\\d,]+) parameters \\|");

    /** Trains (or resumes) one run and exports its model. */
    @FunctionalInterface
    public interface RunTrainer {
        void train(Run run) throws Exception;
    }

    /** One row of a loss.csv; NaN where empty ({@code speechTokens} -1 when the file has no such column). */
    public record LossRow(long step, long tokens, long speechTokens, double flops, double trainLoss, double heldoutLoss,
            double seconds) {}

    /**
     * What the study knows of a run: parameters (-1 unknown), its loss curve, the facts of its exported
     * model (NaN / -1 when unknown), and {@code problem}, why part of the study had to leave it out.
     */
    public record RunFacts(Run run, long parameters, List<LossRow> curve, boolean hasModel, long speechTokens,
            double flops, double seconds, double heldoutLoss, String problem) {}

    /** What a study run did: its runs, the final experiment's summary (null: not run) and every note. */
    public record Outcome(List<RunFacts> runs, RunSummary finalSummary, List<String> notes) {}

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
        if (study.trainMissing()) {
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
        List<RunFacts> facts = new ArrayList<>();
        for (Run r : study.runs().values()) {
            if (r.usesShipped()) {
                notes.add("run " + r.name() + ": not trained here (" + r.output() + " has no exported model): "
                        + "reading the shipped copy " + r.model());
            }
            RunFacts f = facts(r);
            if (f.problem() != null) notes.add("run " + r.name() + ": " + f.problem());
            facts.add(f);
        }
        notes.forEach(n -> log.accept("note: " + n));
        Files.createDirectories(out.resolve("charts"));
        AtomicFiles.write(out.resolve(CURVES_CSV), curvesCsv(facts));
        TrainScalingCharts.heldoutLoss(curves(facts, LossRow::flops), "held-out loss vs training compute",
                "training FLOPs", out.resolve("charts").resolve(LOSS_CHART));
        // the token budget of a run counts speech tokens: draw against them when every curve records them
        boolean speech = facts.stream().flatMap(f -> f.curve().stream())
                .allMatch(r -> Double.isNaN(r.heldoutLoss()) || r.speechTokens() >= 0);
        TrainScalingCharts.heldoutLoss(curves(facts, r -> (double) (speech ? r.speechTokens() : r.tokens())),
                "held-out loss vs training tokens", speech ? "speech tokens seen (the loss targets)"
                        : "training tokens seen (text and speech)", out.resolve("charts").resolve(LOSS_TOKENS_CHART));

        Experiment fin = finalExperiment(study, facts, out);
        RunSummary summary = null;
        Map<String, Map<String, Bootstrap.Interval>> quality = new LinkedHashMap<>();
        Map<String, String> directions = new LinkedHashMap<>();
        List<Difference> differences = List.of();
        if (fin == null) {
            notes.add("no run has an exported model yet: the final experiment was not run");
        } else {
            try (CellExecutor executor = executors.apply(fin)) {
                summary = new ExperimentRunner(executor, progress, new SweepExpander(), dataset).run(fin,
                        fin.output().dir());
            }
            if (!summary.failures().isEmpty()) notes.add("final experiment: " + summary.describe());
            ResultsFolder folder = new ResultsFolder(fin.output().dir());
            Table results = ResultTables.read(folder.file(ResultsFolder.RESULTS_CSV));
            quality = quality(fin, results);
            for (Row r : ResultTables.read(folder.file(ResultsFolder.METRICS_CSV))) {
                directions.put(r.getString("metric"), r.getString("direction"));
            }
            differences = differences(fin, results, facts, directions);
        }
        Files.deleteIfExists(out.resolve(DIFFERENCES_CSV));
        if (!differences.isEmpty()) AtomicFiles.write(out.resolve(DIFFERENCES_CSV), differencesCsv(differences));
        Files.deleteIfExists(out.resolve("charts").resolve(QUALITY_CHART + ".png"));
        Files.deleteIfExists(out.resolve("charts").resolve(QUALITY_CHART + ".svg"));
        List<String> columns = fin == null ? List.of() : qualityColumns(fin);
        Table scaling = scalingTable(facts, quality, columns);
        ResultTables.writeCsv(scaling, out.resolve(SCALING_CSV));
        if (fin != null) {
            TrainScalingCharts.qualityVsParameters(lines(facts, quality, fin), directions,
                    out.resolve("charts").resolve(QUALITY_CHART));
        }
        AtomicFiles.write(out.resolve(REPORT), report(study, facts, scaling, fin != null, differences, notes));
        return new Outcome(facts, summary, notes);
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
            RunFacts f = facts(r);
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
            long done = items.stream().filter(i -> ExperimentRunner.isDone(folder, c, i)).count();
            lines.add("final cell " + c.id() + " (" + c.label() + "): " + done + "/" + items.size() + " utterances done");
        }
        lines.add("then: " + out.resolve(CURVES_CSV) + ", " + out.resolve(SCALING_CSV) + ", charts, "
                + out.resolve(REPORT));
        return lines;
    }

    // ---- one run's facts ----

    static RunFacts facts(Run r) throws IOException {
        List<String> problems = new ArrayList<>();
        List<LossRow> curve = List.of();
        if (Files.isRegularFile(r.lossCsv())) {
            curve = readLoss(r.lossCsv());
        } else {
            problems.add("no loss curve (" + r.lossCsv() + " not found)");
        }
        boolean hasModel = r.hasModel();
        long parameters = -1;
        long speech = -1;
        double heldout = Double.NaN;
        long updates = Long.MAX_VALUE;
        if (hasModel) {
            parameters = LlamaConfig.load(r.model()).parameterCount();
            Path card = r.model().resolve("README.md");
            if (Files.isRegularFile(card)) {
                String text = Files.readString(card);
                updates = cardNumber(CARD_UPDATES, text, Long.MAX_VALUE);
                speech = cardNumber(CARD_SPEECH, text, -1);
                Matcher m = CARD_HELDOUT.matcher(text);
                if (m.find()) heldout = Double.parseDouble(m.group(1));
            }
        } else {
            problems.add("no exported model (" + r.model() + " has no config.json; train it: llasa train "
                    + r.configFile() + " --resume)");
            Path trainLog = r.output().resolve("train.log");
            if (Files.isRegularFile(trainLog)) {
                Matcher m = LOG_PARAMETERS.matcher(Files.readString(trainLog));
                while (m.find()) parameters = Long.parseLong(m.group(1).replace(",", ""));
            }
        }
        // the exported model's row: its update count on the model card (a run may have gone on since)
        double flops = Double.NaN, seconds = Double.NaN;
        if (hasModel) {
            for (LossRow row : curve) {
                if (row.step() > updates) break;
                flops = row.flops();
                seconds = row.seconds();
                if (speech < 0 && row.speechTokens() >= 0) speech = row.speechTokens();
            }
            if (Double.isNaN(heldout)) {
                for (LossRow row : curve) {
                    if (row.step() <= updates && !Double.isNaN(row.heldoutLoss())) heldout = row.heldoutLoss();
                }
            }
        }
        return new RunFacts(r, parameters, curve, hasModel, speech, flops, seconds, heldout,
                problems.isEmpty() ? null : String.join("; ", problems));
    }

    private static long cardNumber(Pattern p, String text, long dflt) {
        Matcher m = p.matcher(text);
        return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : dflt;
    }

    /**
     * Reads a trainer's loss.csv (header {@code step,tokens,flops,train_loss,heldout_loss,seconds}, an
     * optional {@code speech_tokens} column, empty where unknown; empty held-out loss on rows without an
     * evaluation). Rows in step order; a step written twice (a resumed run repeats the steps after its
     * checkpoint) keeps the last row. Malformed lines fail naming the file and line.
     */
    public static List<LossRow> readLoss(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) throw new IOException(file + ":1: empty loss.csv (expected the header "
                + String.join(",", LOSS_COLUMNS) + ")");
        List<String> header = Arrays.stream(lines.getFirst().split(",", -1)).map(String::strip).toList();
        for (String c : LOSS_COLUMNS) {
            if (!header.contains(c)) {
                throw new IOException(file + ":1: loss.csv has no column '" + c + "' (header: " + lines.getFirst() + ")");
            }
        }
        java.util.TreeMap<Long, LossRow> rows = new java.util.TreeMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            if (f.length != header.size()) {
                throw new IOException(file + ":" + (i + 1) + ": " + f.length + " fields, the header has " + header.size());
            }
            try {
                LossRow row = new LossRow((long) field(f, header, "step", file, i), (long) field(f, header, "tokens", file, i),
                        header.contains("speech_tokens") ? (long) field(f, header, "speech_tokens", file, i, -1.0) : -1,
                        field(f, header, "flops", file, i), header.contains("train_loss")
                                ? field(f, header, "train_loss", file, i) : Double.NaN,
                        field(f, header, "heldout_loss", file, i), field(f, header, "seconds", file, i));
                rows.put(row.step(), row);
            } catch (NumberFormatException ex) {
                throw new IOException(file + ":" + (i + 1) + ": " + ex.getMessage());
            }
        }
        return List.copyOf(rows.values());
    }

    private static double field(String[] f, List<String> header, String column, Path file, int line) {
        return field(f, header, column, file, line, column.equals("heldout_loss") || column.equals("train_loss")
                ? Double.NaN : null);
    }

    /** The column's number, or {@code ifEmpty} for an empty field (null: an empty field is an error). */
    private static double field(String[] f, List<String> header, String column, Path file, int line, Double ifEmpty) {
        String s = f[header.indexOf(column)].strip();
        if (s.isEmpty()) {
            if (ifEmpty != null) return ifEmpty;
            throw new NumberFormatException("column '" + column + "' is empty");
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException ex) {
            throw new NumberFormatException("column '" + column + "': '" + s + "' is not a number");
        }
    }

    // ---- tables ----

    public static String curvesCsv(List<RunFacts> facts) {
        Csv csv = new Csv().row("run", "parameters", "step", "tokens", "speech_tokens", "flops", "train_loss",
                "heldout_loss", "seconds");
        for (RunFacts f : facts) {
            for (LossRow r : f.curve()) {
                csv.row(f.run().name(), f.parameters() < 0 ? null : f.parameters(), r.step(), r.tokens(),
                        r.speechTokens() < 0 ? null : r.speechTokens(), r.flops(), r.trainLoss(), r.heldoutLoss(),
                        r.seconds());
            }
        }
        return csv.toString();
    }

    /** Each run's evaluated rows as a curve of held-out loss against {@code x} (positive values only). */
    private static List<Curve> curves(List<RunFacts> facts, java.util.function.ToDoubleFunction<LossRow> x) {
        List<Curve> curves = new ArrayList<>();
        for (RunFacts f : facts) {
            List<LossRow> evaluated = f.curve().stream()
                    .filter(r -> !Double.isNaN(r.heldoutLoss()) && x.applyAsDouble(r) > 0).toList();
            if (evaluated.isEmpty()) continue;
            String label = f.run().name() + (f.parameters() < 0 ? "" : " (" + count(f.parameters()) + " parameters)");
            curves.add(new Curve(label, evaluated.stream().mapToDouble(x).toArray(),
                    evaluated.stream().mapToDouble(LossRow::heldoutLoss).toArray()));
        }
        return curves;
    }

    /** The quality columns' keys, {@code METRIC.STRATEGY}, metric-major. */
    private static List<String> qualityColumns(Experiment fin) {
        List<String> keys = new ArrayList<>();
        for (String metric : fin.evaluate()) {
            for (String strategy : fin.strategies().keySet()) keys.add(metric + "." + strategy);
        }
        return keys;
    }

    /**
     * Per run and {@code METRIC.STRATEGY}: mean and 95% bootstrap interval over the utterances of the
     * strategy's largest budget, every seed pooled (with one seed: exactly the aggregate.csv row).
     */
    static Map<String, Map<String, Bootstrap.Interval>> quality(Experiment fin, Table results) {
        Map<String, Map<String, Bootstrap.Interval>> out = new LinkedHashMap<>();
        for (String model : fin.models().keySet()) {
            Map<String, Bootstrap.Interval> row = new LinkedHashMap<>();
            for (var s : fin.strategies().values()) {
                int budget = s.budgets().stream().mapToInt(Integer::intValue).max().orElse(1);
                Table t = results.where(results.stringColumn("model").isEqualTo(model)
                        .and(results.stringColumn("strategy").isEqualTo(s.name()))
                        .and(results.intColumn("budget").isEqualTo(budget)));
                for (String metric : fin.evaluate()) {
                    row.put(metric + "." + s.name(),
                            Bootstrap.meanInterval95(t.doubleColumn(metric).removeMissing().asDoubleArray()));
                }
            }
            out.put(model, row);
        }
        return out;
    }

    /** One run against the reference (the largest evaluated run): run minus reference, paired. */
    record Difference(String run, String reference, String metric, String strategy, Bootstrap.Interval interval,
            String verdict) {}

    /**
     * Every evaluated run against the evaluated run with the most parameters (of those, the one trained on
     * the most speech tokens: a study may hold the same sizes at two data budgets), per metric and strategy (its
     * largest budget): the mean of run minus reference over the utterances and seeds both have, with a
     * 95% bootstrap interval of that mean. Pairing removes the spread between utterances, so a difference
     * that two overlapping intervals of means hide can still be clear. Verdict: worse or better (by the
     * metric's direction) when the interval excludes 0, else not distinguishable.
     */
    static List<Difference> differences(Experiment fin, Table results, List<RunFacts> facts,
            Map<String, String> directions) {
        RunFacts reference = facts.stream().filter(f -> fin.models().containsKey(f.run().name()) && f.parameters() > 0)
                .max(java.util.Comparator.comparingLong(RunFacts::parameters)
                        .thenComparingLong(TrainScalingRunner::dataBudget)).orElse(null);
        if (reference == null) return List.of();
        List<Difference> out = new ArrayList<>();
        for (RunFacts f : facts) {
            if (f == reference || !fin.models().containsKey(f.run().name())) continue;
            for (var s : fin.strategies().values()) {
                int budget = s.budgets().stream().mapToInt(Integer::intValue).max().orElse(1);
                Map<String, Integer> mine = byUtterance(results, f.run().name(), s.name(), budget);
                Map<String, Integer> theirs = byUtterance(results, reference.run().name(), s.name(), budget);
                for (String metric : fin.evaluate()) {
                    List<Double> d = new ArrayList<>();
                    tech.tablesaw.api.DoubleColumn values = results.doubleColumn(metric);
                    for (var e : mine.entrySet()) {
                        Integer other = theirs.get(e.getKey());
                        if (other == null) continue;
                        double a = values.getDouble(e.getValue()), b = values.getDouble(other);
                        if (!Double.isNaN(a) && !Double.isNaN(b)) d.add(a - b);
                    }
                    Bootstrap.Interval i = Bootstrap.meanInterval95(d.stream().mapToDouble(Double::doubleValue).toArray());
                    String direction = directions.getOrDefault(metric, "unknown");
                    String verdict = i.n() == 0 ? "no shared utterances"
                            : !(i.low() > 0 || i.high() < 0) ? "not distinguishable"
                            : direction.equals("unknown") ? (i.low() > 0 ? "higher" : "lower")
                            : (i.low() > 0) == direction.equals("higher") ? "better" : "worse";
                    out.add(new Difference(f.run().name(), reference.run().name(), metric, s.name(), i, verdict));
                }
            }
        }
        return out;
    }

    /** The row numbers of one model, strategy and budget, keyed by utterance and seed. */
    private static Map<String, Integer> byUtterance(Table results, String model, String strategy, int budget) {
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (Row r : results) { // one cursor moving over the table: keep its row number, not the Row
            if (r.getString("model").equals(model) && r.getString("strategy").equals(strategy)
                    && r.getInt("budget") == budget) {
                rows.put(r.getString("utterance") + "/" + r.getLong("seed"), r.getRowNumber());
            }
        }
        return rows;
    }

    static String differencesCsv(List<Difference> differences) {
        Csv csv = new Csv().row("run", "reference", "metric", "strategy", "mean_difference", "ci_low", "ci_high", "n",
                "verdict");
        for (Difference d : differences) {
            csv.row(d.run(), d.reference(), d.metric(), d.strategy(), d.interval().mean(), d.interval().low(),
                    d.interval().high(), d.interval().n(), d.verdict());
        }
        return csv.toString();
    }

    static Table scalingTable(List<RunFacts> facts, Map<String, Map<String, Bootstrap.Interval>> quality,
            List<String> columns) {
        Table t = Table.create("scaling", tech.tablesaw.api.StringColumn.create("run"),
                tech.tablesaw.api.LongColumn.create("parameters"), tech.tablesaw.api.LongColumn.create("speech_tokens"),
                tech.tablesaw.api.DoubleColumn.create("flops"), tech.tablesaw.api.DoubleColumn.create("seconds"),
                tech.tablesaw.api.DoubleColumn.create("heldout_loss"), tech.tablesaw.api.StringColumn.create("status"));
        for (String c : columns) {
            for (String part : List.of("mean", "ci_low", "ci_high")) {
                t.addColumns(tech.tablesaw.api.DoubleColumn.create(c + "." + part));
            }
            t.addColumns(tech.tablesaw.api.IntColumn.create(c + ".n"));
        }
        for (RunFacts f : facts) {
            t.stringColumn("run").append(f.run().name());
            appendLong(t.longColumn("parameters"), f.parameters());
            appendLong(t.longColumn("speech_tokens"), f.speechTokens());
            t.doubleColumn("flops").append(f.flops());
            t.doubleColumn("seconds").append(f.seconds());
            t.doubleColumn("heldout_loss").append(f.heldoutLoss());
            Map<String, Bootstrap.Interval> q = quality.get(f.run().name());
            t.stringColumn("status").append(q != null ? "evaluated" : f.hasModel() ? "not evaluated" : "no model");
            for (String c : columns) {
                Bootstrap.Interval i = q == null ? null : q.get(c);
                t.doubleColumn(c + ".mean").append(i == null ? Double.NaN : i.mean());
                t.doubleColumn(c + ".ci_low").append(i == null ? Double.NaN : i.low());
                t.doubleColumn(c + ".ci_high").append(i == null ? Double.NaN : i.high());
                if (i == null) t.intColumn(c + ".n").appendMissing();
                else t.intColumn(c + ".n").append(i.n());
            }
        }
        return t;
    }

    private static void appendLong(tech.tablesaw.api.LongColumn c, long v) {
        if (v < 0) c.appendMissing();
        else c.append(v);
    }

    /**
     * The speech tokens a run was planned to train on (its training file's budget), else those its
     * exported model saw to two significant digits (a run overshoots its budget by part of a batch); -1
     * when neither is known. Runs of one data budget form one family.
     */
    static long dataBudget(RunFacts f) {
        if (f.run().config() != null) return f.run().config().settings().speechTokenBudget();
        if (f.speechTokens() <= 0) return f.speechTokens();
        return new java.math.BigDecimal(f.speechTokens()).round(new java.math.MathContext(2)).longValue();
    }

    /** A token count in short: 4000000 -> "4M", 2500000 -> "2.5M", 500000 -> "500k". */
    static String shortCount(long n) {
        if (n < 0) return "unknown";
        if (n >= 1_000_000) return trim(n / 1e6) + "M";
        if (n >= 1_000) return trim(n / 1e3) + "k";
        return Long.toString(n);
    }

    private static String trim(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /**
     * metric -> line -> points (parameters, mean, interval) of the evaluated runs. A line per strategy; when
     * the evaluated runs differ in data budget, a line per strategy and budget ("sample, 8M tokens"), so
     * that each line is one family of sizes trained on the same data.
     */
    static Map<String, List<Line>> lines(List<RunFacts> facts, Map<String, Map<String, Bootstrap.Interval>> quality,
            Experiment fin) {
        List<RunFacts> evaluated = facts.stream().filter(f -> quality.containsKey(f.run().name()) && f.parameters() > 0)
                .toList();
        List<Long> budgets = evaluated.stream().map(TrainScalingRunner::dataBudget).distinct().sorted().toList();
        Map<String, List<Line>> out = new LinkedHashMap<>();
        for (String metric : fin.evaluate()) {
            List<Line> lines = new ArrayList<>();
            for (String strategy : fin.strategies().keySet()) {
                for (long budget : budgets) {
                    List<Point> ps = new ArrayList<>();
                    for (RunFacts f : evaluated) {
                        Bootstrap.Interval i = quality.get(f.run().name()).get(metric + "." + strategy);
                        if (i == null || i.n() == 0 || dataBudget(f) != budget) continue;
                        ps.add(new Point(f.parameters(), i.mean(), i.low(), i.high()));
                    }
                    ps.sort(java.util.Comparator.comparingDouble(Point::x));
                    lines.add(new Line(strategy, budgets.size() == 1 ? null : shortCount(budget) + " tokens", ps));
                }
            }
            out.put(metric, lines);
        }
        return out;
    }

    // ---- report ----

    private static String report(TrainScalingStudy study, List<RunFacts> facts, Table scaling, boolean evaluated,
            List<Difference> differences, List<String> notes) {
        StringBuilder md = new StringBuilder("# Train-time scaling study\n\n");
        md.append("Study file: `").append(study.file()).append("`\n\n");
        md.append("- loss curves of every run (one row per loss.csv row): [").append(CURVES_CSV).append("](")
                .append(CURVES_CSV).append(")\n");
        md.append("- one row per run (the exported model's size, data, compute and quality): [").append(SCALING_CSV)
                .append("](").append(SCALING_CSV).append(")\n");
        if (evaluated) {
            md.append("- the final experiment over the exported models: [final/report.md](final/report.md)\n");
        }
        md.append("\n## Runs\n\n| run | training YAML | output | parameters | speech tokens | training FLOPs | wall time"
                + " | held-out loss | status |\n|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < facts.size(); i++) {
            RunFacts f = facts.get(i);
            Row r = scaling.row(i);
            md.append("| ").append(f.run().name()).append(" | `").append(study.file().toAbsolutePath().getParent()
                            .relativize(f.run().configFile().toAbsolutePath())).append("` | `")
                    .append(f.run().output()).append("` | ").append(f.parameters() < 0 ? "" : count(f.parameters()))
                    .append(" | ").append(f.speechTokens() < 0 ? "" : count(f.speechTokens()))
                    .append(" | ").append(Double.isNaN(f.flops()) ? "" : String.format(Locale.ROOT, "%.3e", f.flops()))
                    .append(" | ").append(Double.isNaN(f.seconds()) ? "" : String.format(Locale.ROOT, "%.0f s", f.seconds()))
                    .append(" | ").append(Double.isNaN(f.heldoutLoss()) ? ""
                            : String.format(Locale.ROOT, "%.4f", f.heldoutLoss()))
                    .append(" | ").append(r.getString("status")).append(" |\n");
        }
        List<String> quality = scaling.columnNames().stream().filter(c -> c.endsWith(".mean")).toList();
        if (!quality.isEmpty()) {
            md.append("\n## Quality of the exported models (mean [95% bootstrap interval], n)\n\n| run | parameters");
            for (String c : quality) md.append(" | ").append(c, 0, c.length() - ".mean".length());
            md.append(" |\n|---|---").append("|---".repeat(quality.size())).append("|\n");
            for (Row r : scaling) {
                md.append("| ").append(r.getString("run")).append(" | ")
                        .append(r.isMissing("parameters") ? "" : count(r.getLong("parameters")));
                for (String c : quality) {
                    String key = c.substring(0, c.length() - ".mean".length());
                    double mean = r.getDouble(c);
                    md.append(" | ").append(Double.isNaN(mean) ? "" : fmt(mean) + " [" + fmt(r.getDouble(key + ".ci_low"))
                            + ", " + fmt(r.getDouble(key + ".ci_high")) + "], " + r.getInt(key + ".n"));
                }
                md.append(" |\n");
            }
        }
        if (!differences.isEmpty()) {
            md.append("\n## Against the largest model (").append(differences.getFirst().reference())
                    .append("): paired differences on the same utterances\n\nrun minus ")
                    .append(differences.getFirst().reference()).append(", mean [95% bootstrap interval], n ([")
                    .append(DIFFERENCES_CSV).append("](").append(DIFFERENCES_CSV).append("))\n\n")
                    .append("| run | metric | strategy | difference | verdict |\n|---|---|---|---|---|\n");
            for (Difference d : differences) {
                Bootstrap.Interval i = d.interval();
                md.append("| ").append(d.run()).append(" | ").append(d.metric()).append(" | ").append(d.strategy())
                        .append(" | ").append(i.n() == 0 ? "" : fmt(i.mean()) + " [" + fmt(i.low()) + ", " + fmt(i.high())
                                + "], " + i.n()).append(" | ").append(d.verdict()).append(" |\n");
            }
        }
        md.append("\n## Charts\n\n");
        for (String chart : evaluated ? List.of(LOSS_CHART, LOSS_TOKENS_CHART, QUALITY_CHART)
                : List.of(LOSS_CHART, LOSS_TOKENS_CHART)) {
            md.append("### ").append(chart).append("\n\n![").append(chart).append("](charts/").append(chart)
                    .append(".png)  \n[SVG](charts/").append(chart).append(".svg)\n\n");
        }
        if (!notes.isEmpty()) {
            md.append("## Notes\n\n");
            for (String n : notes) md.append("- ").append(n.replace("\n", " ")).append("\n");
        }
        return md.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4g", v);
    }

    /** 1066880 -> "1.07 M". */
    static String count(long n) {
        if (n < 0) return "?";
        if (n >= 1_000_000_000L) return String.format(Locale.ROOT, "%.3g B", n / 1e9);
        if (n >= 1_000_000L) return String.format(Locale.ROOT, "%.3g M", n / 1e6);
        if (n >= 1_000L) return String.format(Locale.ROOT, "%.3g k", n / 1e3);
        return String.valueOf(n);
    }
}
