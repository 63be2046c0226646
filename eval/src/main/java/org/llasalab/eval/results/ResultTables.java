package org.llasalab.eval.results;

import org.llasalab.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.stats.Bootstrap;
import org.llasalab.verify.Verifier;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * The run's tables, built with Tablesaw from the per-utterance result files:
 * <ul>
 *   <li>{@code results.csv}: tidy, one row per cell x utterance: {@code cell, model, strategy,
 *       strategy_type, search, budget, seed, utterance}, one {@code item_KEY} column per attribute the
 *       test set gives its items (the micro-world test set: speaker, accent, gender, style, emotion,
 *       prompt_id, prompt_seconds; empty where an item lacks it), one column per evaluation metric, one
 *       per ledger field;</li>
 *   <li>{@code aggregate.csv}: long form, one row per cell x metric: the cell columns, {@code status,
 *       metric, role} (guide when the metric's verifier guided this cell's search, else held_out),
 *       {@code mean, ci_low, ci_high} (95% percentile bootstrap of the mean), {@code n}, then the
 *       cell's ledger totals (sum over its utterances), one column per ledger field;</li>
 *   <li>{@code metrics.csv}: {@code metric, type, direction} (higher, lower or unknown).</li>
 * </ul>
 */
public final class ResultTables {
    public static final List<String> CELL_COLUMNS = List.of("cell", "model", "strategy", "strategy_type", "search",
            "budget", "seed");
    private static final Set<String> TEXT_COLUMNS = Set.of("cell", "model", "strategy", "strategy_type", "search",
            "utterance", "status", "metric", "role", "type", "direction");
    /** results.csv names an item attribute KEY {@code item_KEY} (kept apart from metric names like emotion). */
    public static final String ITEM_PREFIX = "item_";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultTables() {}

    /** Builds and writes results.csv, aggregate.csv and metrics.csv for {@code cells} x {@code items}. */
    public static void write(ResultsFolder folder, Experiment e, List<Cell> cells, List<BenchmarkItem> items,
            Map<String, Verifier.Direction> directions) throws IOException {
        Table tidy = tidy(folder, e.evaluate(), cells, items);
        Table aggregate = aggregate(folder, tidy, e.evaluate(), cells);
        Table metrics = Table.create("metrics", StringColumn.create("metric"), StringColumn.create("type"),
                StringColumn.create("direction"));
        Map<String, String> earlier = knownDirections(folder);
        for (String m : e.evaluate()) {
            Verifier.Direction d = directions.get(m);
            String type = e.verifiers().get(m).type();
            metrics.stringColumn("metric").append(m);
            metrics.stringColumn("type").append(type);
            // a run that scored nothing new never opened its verifiers: keep what an earlier run learnt
            metrics.stringColumn("direction").append(d == null ? earlier.getOrDefault(m + "\n" + type, "unknown")
                    : d == Verifier.Direction.HIGHER_IS_BETTER ? "higher" : "lower");
        }
        writeCsv(tidy, folder.file(ResultsFolder.RESULTS_CSV));
        writeCsv(aggregate, folder.file(ResultsFolder.AGGREGATE_CSV));
        writeCsv(metrics, folder.file(ResultsFolder.METRICS_CSV));
    }

    /** One row per finished cell x utterance, in cell order then item order. */
    public static Table tidy(ResultsFolder folder, List<String> metrics, List<Cell> cells, List<BenchmarkItem> items)
            throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        Set<String> ledgerFields = new TreeSet<>();
        List<String> attributes = items.stream().flatMap(i -> i.attributes().keySet().stream()).distinct().sorted()
                .toList();
        for (Cell c : cells) {
            for (BenchmarkItem item : items) {
                if (!UtteranceStore.isDone(folder, c, item)) continue;
                JsonNode node = UtteranceStore.read(folder, c, item);
                Map<String, Object> row = cellValues(c);
                row.put("utterance", item.id());
                for (String a : attributes) row.put(ITEM_PREFIX + a, item.attributes().getOrDefault(a, ""));
                for (String m : metrics) row.put(m, number(node.path("metrics").path(m)));
                node.path("ledger").properties().forEach(p -> {
                    ledgerFields.add(p.getKey());
                    row.put("ledger:" + p.getKey(), number(p.getValue()));
                });
                rows.add(row);
            }
        }
        Table t = Table.create("results");
        addCellColumns(t);
        t.addColumns(StringColumn.create("utterance"));
        for (String a : attributes) t.addColumns(StringColumn.create(ITEM_PREFIX + a));
        for (String m : metrics) t.addColumns(DoubleColumn.create(m));
        for (String l : ledgerFields) t.addColumns(DoubleColumn.create(l));
        for (Map<String, Object> row : rows) {
            appendCellValues(t, row);
            t.stringColumn("utterance").append((String) row.get("utterance"));
            for (String a : attributes) t.stringColumn(ITEM_PREFIX + a).append((String) row.get(ITEM_PREFIX + a));
            for (String m : metrics) t.doubleColumn(m).append((double) row.get(m));
            for (String l : ledgerFields) {
                Object v = row.get("ledger:" + l);
                t.doubleColumn(l).append(v == null ? Double.NaN : (double) v);
            }
        }
        return t;
    }

    /** METRIC + "\n" + TYPE -> its known direction (higher or lower) in the folder's metrics.csv, if any. */
    public static Map<String, String> knownDirections(ResultsFolder folder) {
        Path metricsCsv = folder.file(ResultsFolder.METRICS_CSV);
        Map<String, String> out = new java.util.HashMap<>();
        if (!Files.isRegularFile(metricsCsv)) return out;
        try {
            for (Row r : read(metricsCsv)) {
                String d = r.getString("direction");
                if (d.equals("higher") || d.equals("lower")) out.put(r.getString("metric") + "\n" + r.getString("type"), d);
            }
        } catch (IOException | RuntimeException ex) {
            // unreadable: the directions stay unknown until a run opens the verifiers again
        }
        return out;
    }

    /** Mean and 95% bootstrap interval of every metric per cell, with the cell's ledger totals. */
    public static Table aggregate(ResultsFolder folder, Table tidy, List<String> metrics, List<Cell> cells) {
        List<String> ledgerFields = new ArrayList<>();
        for (var col : tidy.columns()) {
            String n = col.name();
            if (!isText(n) && !CELL_COLUMNS.contains(n) && !metrics.contains(n)) ledgerFields.add(n);
        }
        Table a = Table.create("aggregate");
        addCellColumns(a);
        a.addColumns(StringColumn.create("status"), StringColumn.create("metric"), StringColumn.create("role"),
                DoubleColumn.create("mean"), DoubleColumn.create("ci_low"), DoubleColumn.create("ci_high"),
                IntColumn.create("n"));
        for (String l : ledgerFields) a.addColumns(DoubleColumn.create(l));
        StringColumn cellIds = tidy.stringColumn("cell");
        for (Cell c : cells) {
            Table rows = tidy.where(cellIds.isEqualTo(c.id()));
            String status = status(folder, c);
            Map<String, Object> values = cellValues(c);
            for (String m : metrics) {
                double[] xs = rows.doubleColumn(m).removeMissing().asDoubleArray();
                Bootstrap.Interval ci = Bootstrap.meanInterval95(xs);
                appendCellValues(a, values);
                a.stringColumn("status").append(status);
                a.stringColumn("metric").append(m);
                boolean guide = c.guides().stream().anyMatch(g -> g.name().equals(m));
                a.stringColumn("role").append(guide ? "guide" : "held_out");
                a.doubleColumn("mean").append(ci.mean());
                a.doubleColumn("ci_low").append(ci.low());
                a.doubleColumn("ci_high").append(ci.high());
                a.intColumn("n").append(ci.n());
                for (String l : ledgerFields) {
                    a.doubleColumn(l).append(rows.rowCount() == 0 ? Double.NaN : rows.doubleColumn(l).sum());
                }
            }
        }
        return a;
    }

    private static String status(ResultsFolder folder, Cell c) {
        Path f = folder.cellStatus(c.id());
        try {
            return Files.isRegularFile(f) ? JSON.readTree(f.toFile()).path("state").asText("unknown") : "not_run";
        } catch (IOException ex) {
            return "unknown";
        }
    }

    private static Map<String, Object> cellValues(Cell c) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("cell", c.id());
        row.put("model", c.model().name());
        row.put("strategy", c.strategy().name());
        row.put("strategy_type", c.strategy().type());
        row.put("search", String.join("+", c.guides().stream().map(Experiment.VerifierSpec::name).toList()));
        row.put("budget", c.budget());
        row.put("seed", c.seed());
        return row;
    }

    private static void addCellColumns(Table t) {
        t.addColumns(StringColumn.create("cell"), StringColumn.create("model"), StringColumn.create("strategy"),
                StringColumn.create("strategy_type"), StringColumn.create("search"), IntColumn.create("budget"),
                LongColumn.create("seed"));
    }

    private static void appendCellValues(Table t, Map<String, Object> row) {
        for (String name : List.of("cell", "model", "strategy", "strategy_type", "search")) {
            t.stringColumn(name).append((String) row.get(name));
        }
        t.intColumn("budget").append((int) row.get("budget"));
        t.longColumn("seed").append((long) row.get("seed"));
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** Writes a table as CSV atomically. */
    public static void writeCsv(Table t, Path file) throws IOException {
        AtomicFiles.write(file, tmp -> t.write().csv(CsvWriteOptions.builder(tmp.toFile()).build()));
    }

    /** Reads a table written by this class with the right column types (ids stay text). */
    public static Table read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such results table (run the experiment first)");
        }
        try {
            return Table.read().csv(CsvReadOptions.builder(file.toFile())
                    .columnTypes(name -> isText(name) ? ColumnType.STRING
                            : name.equals("budget") || name.equals("n") ? ColumnType.INTEGER
                            : name.equals("seed") ? ColumnType.LONG : ColumnType.DOUBLE)
                    .build());
        } catch (RuntimeException ex) {
            throw new IOException(file + ": malformed results table: " + ex.getMessage(), ex);
        }
    }

    /** Columns read as text: ids, labels and item attributes (a speaker or a prompt duration alike). */
    private static boolean isText(String column) {
        return TEXT_COLUMNS.contains(column) || column.startsWith(ITEM_PREFIX);
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4g", v);
    }
}
