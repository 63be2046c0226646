package org.llasalab.eval.score;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.eval.stats.Bootstrap;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * The per-utterance numbers of an evaluation and their aggregates. For each verifier column it keeps
 * the score; for ASR verifiers whose score details carry edit counts it also gives the corpus rate,
 * and for those that carry the transcript, each {@link TranscriptRescorer}'s variant
 * ({@code <column>_<rescorer>}) per utterance and in aggregate.
 *
 * <p>Score-detail keys read (as the verifiers' {@code wer} type writes them): {@code transcript} (the
 * raw ASR output), {@code substitutions}, {@code deletions}, {@code insertions} (or a total
 * {@code edits}) and {@code reference_length}. Rescorers apply to columns whose metric is
 * {@code wer} and rescore the raw transcript against the item's target text.
 */
public final class ScoreTable {
    /** A column's identity and direction, for sorting and labels. */
    public record ColumnInfo(String name, String type, String metric, Verifier.Direction direction) {}

    private final List<ColumnInfo> columns;
    private final List<ScoredItem> rows;
    private final List<ScoredItem> scored;
    private final Map<String, double[]> numbers = new LinkedHashMap<>();
    private final Map<String, String[]> transcripts = new LinkedHashMap<>();
    private final Map<String, long[][]> edits = new LinkedHashMap<>();
    private final List<Aggregate> aggregates = new ArrayList<>();

    public ScoreTable(List<ColumnInfo> columns, List<ScoredItem> rows, List<TranscriptRescorer> rescorers,
                      int resamples, long seed) {
        this.columns = List.copyOf(columns);
        this.rows = List.copyOf(rows);
        this.scored = rows.stream().filter(r -> !r.missing()).toList();
        int n = scored.size();
        for (ColumnInfo column : columns) {
            String name = column.name();
            double[] values = new double[n];
            String[] text = new String[n];
            long[][] counts = new long[n][];
            boolean allCounts = n > 0;
            boolean allText = n > 0;
            for (int i = 0; i < n; i++) {
                Score s = scored.get(i).scores().get(name);
                values[i] = s.value();
                Object t = s.details().get("transcript");
                text[i] = t == null ? null : t.toString();
                counts[i] = editCounts(s.details());
                allCounts &= counts[i] != null;
                allText &= text[i] != null;
            }
            numbers.put(name, values);
            add(name, "mean", Bootstrap.meanInterval(finite(values), 0.95, resamples, seed));
            add(name, "variance", Bootstrap.varianceInterval(finite(values), 0.95, resamples, seed));
            if (allCounts) {
                edits.put(name, counts);
                add(name, "corpus", corpus(counts, resamples, seed));
            }
            if (allText) {
                transcripts.put(name, text);
            }
            if (allText && "wer".equals(column.metric())) {
                for (TranscriptRescorer rescorer : rescorers) {
                    String derived = name + "_" + rescorer.name();
                    double[] rates = new double[n];
                    long[][] derivedCounts = new long[n][];
                    for (int i = 0; i < n; i++) {
                        TranscriptRescorer.Edits e = rescorer.rescore(scored.get(i).item().targetText(), text[i]);
                        rates[i] = e.rate();
                        derivedCounts[i] = new long[] {e.edits(), e.referenceLength()};
                    }
                    numbers.put(derived, rates);
                    edits.put(derived, derivedCounts);
                    add(name, "mean_" + rescorer.name(), Bootstrap.meanInterval(rates, 0.95, resamples, seed));
                    add(name, "corpus_" + rescorer.name(), corpus(derivedCounts, resamples, seed));
                }
            }
        }
    }

    private void add(String column, String statistic, Bootstrap.Interval interval) {
        aggregates.add(new Aggregate(column, statistic, interval));
    }

    private static Bootstrap.Interval corpus(long[][] counts, int resamples, long seed) {
        return Bootstrap.interval(counts.length, idx -> {
            long e = 0, r = 0;
            for (int i : idx) {
                e += counts[i][0];
                r += counts[i][1];
            }
            return e / (double) Math.max(1, r);
        }, 0.95, resamples, seed);
    }

    private static double[] finite(double[] values) {
        return java.util.Arrays.stream(values).filter(Double::isFinite).toArray();
    }

    /** {edits, referenceLength} from score details, or null when they are not there. */
    static long[] editCounts(Map<String, Object> details) {
        Long ref = asLong(details.containsKey("reference_length") ? details.get("reference_length") : details.get("referenceLength"));
        if (ref == null) return null;
        Long total = asLong(details.get("edits"));
        if (total == null) {
            Long s = asLong(details.get("substitutions"));
            Long d = asLong(details.get("deletions"));
            Long i = asLong(details.get("insertions"));
            if (s == null || d == null || i == null) return null;
            total = s + d + i;
        }
        return new long[] {total, ref};
    }

    private static Long asLong(Object o) {
        if (o instanceof Number n) return n.longValue();
        if (o == null) return null;
        try {
            return Long.parseLong(o.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public List<ColumnInfo> columns() {
        return columns;
    }

    /** All rows in benchmark order, missing ones included. */
    public List<ScoredItem> rows() {
        return rows;
    }

    public List<ScoredItem> missing() {
        return rows.stream().filter(ScoredItem::missing).toList();
    }

    /** The scored rows, in the order of the per-utterance arrays. */
    public List<ScoredItem> scored() {
        return scored;
    }

    /** Per-utterance numeric columns over {@link #scored()}: each verifier column and derived variants. */
    public Map<String, double[]> numbers() {
        return java.util.Collections.unmodifiableMap(numbers);
    }

    /** Per-utterance ASR transcripts of the columns that have them. */
    public Map<String, String[]> transcripts() {
        return java.util.Collections.unmodifiableMap(transcripts);
    }

    public List<Aggregate> aggregates() {
        return List.copyOf(aggregates);
    }

    /** The aggregate {@code statistic} of {@code column}, or null. */
    public Aggregate aggregate(String column, String statistic) {
        return aggregates.stream().filter(a -> a.column().equals(column) && a.statistic().equals(statistic))
                .findFirst().orElse(null);
    }

    /**
     * Indices into {@link #scored()} ordered worst first by the first column (per its direction),
     * ties broken by the later columns, then by id. NaN scores count as worst.
     */
    public int[] worstFirst() {
        Comparator<Integer> order = null;
        for (ColumnInfo c : columns) {
            double[] v = numbers.get(c.name());
            boolean lowerIsBetter = c.direction() == Verifier.Direction.LOWER_IS_BETTER;
            Comparator<Integer> byColumn = (a, b) -> {
                double x = v[a], y = v[b];
                if (Double.isNaN(x) || Double.isNaN(y)) return Boolean.compare(Double.isNaN(y), Double.isNaN(x));
                return lowerIsBetter ? Double.compare(y, x) : Double.compare(x, y);
            };
            order = order == null ? byColumn : order.thenComparing(byColumn);
        }
        Comparator<Integer> byId = Comparator.comparing(i -> scored.get(i).item().id());
        order = order == null ? byId : order.thenComparing(byId);
        return java.util.stream.IntStream.range(0, scored.size()).boxed().sorted(order).mapToInt(Integer::intValue).toArray();
    }
}
