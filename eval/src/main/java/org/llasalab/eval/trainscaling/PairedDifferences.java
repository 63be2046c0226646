package org.llasalab.eval.trainscaling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.io.Csv;
import org.llasalab.eval.stats.Bootstrap;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * {@code differences.csv} of a train-scaling study: each evaluated run against the largest, paired on the
 * same utterances and seeds.
 */
public final class PairedDifferences {
    private PairedDifferences() {}

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
                        .thenComparingLong(ScalingTables::dataBudget)).orElse(null);
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
}
