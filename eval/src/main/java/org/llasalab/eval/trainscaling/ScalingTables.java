package org.llasalab.eval.trainscaling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.io.Csv;
import org.llasalab.eval.stats.Bootstrap;
import org.llasalab.eval.trainscaling.TrainScalingCharts.Curve;
import org.llasalab.eval.trainscaling.TrainScalingCharts.Line;
import org.llasalab.eval.trainscaling.TrainScalingCharts.Point;
import tech.tablesaw.api.Table;

/**
 * The tables of a train-scaling study, from the runs' facts and the final experiment's results:
 * {@code curves.csv} (every loss.csv row of every run), the quality of each exported model per
 * {@code METRIC.STRATEGY} (mean and 95% bootstrap interval), {@code scaling.csv} (a row per run) and the
 * lines of the quality chart (a family of sizes per data budget).
 */
public final class ScalingTables {
    private ScalingTables() {}


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
    static List<Curve> curves(List<RunFacts> facts, java.util.function.ToDoubleFunction<LossRow> x) {
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
    static List<String> qualityColumns(Experiment fin) {
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
        List<Long> budgets = evaluated.stream().map(ScalingTables::dataBudget).distinct().sorted().toList();
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

    /** 1066880 -> "1.07 M". */
    static String count(long n) {
        if (n < 0) return "?";
        if (n >= 1_000_000_000L) return String.format(Locale.ROOT, "%.3g B", n / 1e9);
        if (n >= 1_000_000L) return String.format(Locale.ROOT, "%.3g M", n / 1e6);
        if (n >= 1_000L) return String.format(Locale.ROOT, "%.3g k", n / 1e3);
        return String.valueOf(n);
    }
}
