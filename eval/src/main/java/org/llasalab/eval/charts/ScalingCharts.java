package org.llasalab.eval.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.results.ResultTables;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * The inference-time scaling charts of a results folder, drawn from {@code aggregate.csv} and
 * {@code metrics.csv} alone (so {@code llasa plot} redraws them without running anything):
 * <ul>
 *   <li>{@code charts/scaling-STRATEGY.{png,svg}}: quality versus compute, one panel per metric, one
 *       line per model with its 95% confidence band (dashed), x on a log2 axis ({@code budget} or any
 *       ledger column);</li>
 *   <li>{@code charts/overfit-STRATEGY.{png,svg}}: for strategies guided by a verifier, the improvement
 *       over the smallest budget of the guiding metric (solid) and of each held-out metric (dashed),
 *       one panel per model: a guide that improves while held-out metrics do not shows over-fitting to
 *       the verifier.</li>
 * </ul>
 * Seeds of the same model, strategy and budget are averaged.
 */
public final class ScalingCharts {
    public static final int W = 520;
    public static final int H = 400;
    public static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    private static final BasicStroke DASHED = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {4f, 4f}, 0f);

    private ScalingCharts() {}

    /** Draws every chart of the folder; returns the files written (without extension). */
    public static List<Path> drawAll(ResultsFolder folder, String xField) throws IOException {
        Table aggregate = ResultTables.read(folder.file(ResultsFolder.AGGREGATE_CSV));
        Map<String, String> directions = directions(folder);
        if (!xField.equals("budget") && !aggregate.columnNames().contains(xField)) {
            List<String> allowed = new ArrayList<>(List.of("budget"));
            allowed.addAll(ledgerColumns(aggregate));
            throw new IllegalArgumentException("unknown x field '" + xField + "' (allowed: " + allowed + ")");
        }
        Files.createDirectories(folder.charts());
        List<Path> written = new ArrayList<>();
        for (String strategy : distinct(aggregate, "strategy")) {
            Table s = aggregate.where(aggregate.stringColumn("strategy").isEqualTo(strategy));
            List<XYChart> panels = new ArrayList<>();
            for (String metric : distinct(s, "metric")) {
                panels.add(scalingPanel(s.where(s.stringColumn("metric").isEqualTo(metric)), strategy, metric, xField,
                        directions.getOrDefault(metric, "unknown")));
            }
            if (panels.isEmpty()) continue;
            Path base = folder.charts().resolve("scaling-" + safe(strategy));
            ChartFiles.save(panels, W, H, base);
            written.add(base);
            List<XYChart> overfit = overfitPanels(s, strategy, xField, directions);
            if (!overfit.isEmpty()) {
                Path o = folder.charts().resolve("overfit-" + safe(strategy));
                ChartFiles.save(overfit, W, H, o);
                written.add(o);
            }
        }
        return written;
    }

    /** One panel: a metric versus compute, a line and a confidence band per model. */
    static XYChart scalingPanel(Table rows, String strategy, String metric, String xField, String direction) {
        String arrow = direction.equals("higher") ? " (higher is better)" : direction.equals("lower")
                ? " (lower is better)" : "";
        XYChart chart = newChart(strategy + ": " + metric, axisTitle(xField), metric + arrow);
        int colour = 0;
        for (String model : distinct(rows, "model")) {
            Table m = rows.where(rows.stringColumn("model").isEqualTo(model));
            TreeMap<Double, double[]> points = points(m, xField, "mean", "ci_low", "ci_high");
            if (points.isEmpty()) continue;
            Color c = PALETTE[colour++ % PALETTE.length];
            double[] x = xs(points);
            XYSeries line = chart.addSeries(model, x, column(points, 0));
            line.setLineColor(c);
            line.setMarkerColor(c);
            line.setMarker(SeriesMarkers.CIRCLE);
            for (int k = 1; k <= 2; k++) {
                XYSeries band = chart.addSeries(model + (k == 1 ? " 95% CI low" : " 95% CI high"), x, column(points, k));
                band.setLineColor(c);
                band.setMarker(SeriesMarkers.NONE);
                band.setLineStyle(DASHED);
                band.setShowInLegend(false);
            }
        }
        return chart;
    }

    /** Panels per model: improvement of guide (solid) and held-out (dashed) metrics over the smallest x. */
    static List<XYChart> overfitPanels(Table s, String strategy, String xField, Map<String, String> directions) {
        Set<String> guides = new LinkedHashSet<>();
        Set<String> heldOut = new LinkedHashSet<>();
        for (Row r : s) {
            (r.getString("role").equals("guide") ? guides : heldOut).add(r.getString("metric"));
        }
        List<XYChart> panels = new ArrayList<>();
        if (guides.isEmpty() || heldOut.isEmpty()) return panels;
        for (String model : distinct(s, "model")) {
            Table m = s.where(s.stringColumn("model").isEqualTo(model));
            XYChart chart = newChart(strategy + " / " + model + ": guide vs held-out", axisTitle(xField),
                    "improvement over the smallest " + xField);
            int colour = 0;
            for (String metric : distinct(m, "metric")) {
                TreeMap<Double, double[]> p = points(m.where(m.stringColumn("metric").isEqualTo(metric)), xField, "mean");
                if (p.isEmpty()) continue;
                double sign = directions.getOrDefault(metric, "unknown").equals("lower") ? -1 : 1;
                double first = p.firstEntry().getValue()[0];
                double[] y = column(p, 0);
                for (int i = 0; i < y.length; i++) y[i] = sign * (y[i] - first);
                boolean guide = guides.contains(metric);
                Color c = PALETTE[colour++ % PALETTE.length];
                XYSeries series = chart.addSeries((guide ? "guide: " : "held-out: ") + metric, xs(p), y);
                series.setLineColor(c);
                series.setMarkerColor(c);
                if (!guide) series.setLineStyle(DASHED);
            }
            panels.add(chart);
        }
        return panels;
    }

    private static XYChart newChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> format(Math.pow(2, v)));
        return chart;
    }

    private static String axisTitle(String xField) {
        return xField + " (log2 scale)";
    }

    /** x = log2 of the field, y columns averaged over rows (seeds) with the same x; rows with NaN dropped. */
    static TreeMap<Double, double[]> points(Table rows, String xField, String... yColumns) {
        TreeMap<Double, double[]> sums = new TreeMap<>();
        Map<Double, Integer> counts = new LinkedHashMap<>();
        for (Row r : rows) {
            double x = xField.equals("budget") ? r.getInt("budget") : r.getDouble(xField);
            if (!(x > 0)) continue;
            double[] y = new double[yColumns.length];
            boolean ok = true;
            for (int k = 0; k < y.length; k++) {
                y[k] = r.getDouble(yColumns[k]);
                ok &= !Double.isNaN(y[k]);
            }
            if (!ok) continue;
            double lx = Math.log(x) / Math.log(2);
            double[] s = sums.computeIfAbsent(lx, key -> new double[yColumns.length]);
            for (int k = 0; k < y.length; k++) s[k] += y[k];
            counts.merge(lx, 1, Integer::sum);
        }
        sums.forEach((x, s) -> {
            for (int k = 0; k < s.length; k++) s[k] /= counts.get(x);
        });
        return sums;
    }

    private static double[] xs(TreeMap<Double, double[]> p) {
        return p.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] column(TreeMap<Double, double[]> p, int k) {
        return p.values().stream().mapToDouble(v -> v[k]).toArray();
    }

    static List<String> distinct(Table t, String column) {
        return new ArrayList<>(new LinkedHashSet<>(t.stringColumn(column).asList()));
    }

    private static List<String> ledgerColumns(Table aggregate) {
        int from = aggregate.columnNames().indexOf("n") + 1;
        return aggregate.columnNames().subList(from, aggregate.columnCount());
    }

    static Map<String, String> directions(ResultsFolder folder) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Path f = folder.file(ResultsFolder.METRICS_CSV);
        if (!Files.isRegularFile(f)) return out;
        Table t = ResultTables.read(f);
        for (Row r : t) out.put(r.getString("metric"), r.getString("direction"));
        return out;
    }

    private static String format(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-6 * Math.max(1, v)) {
            double r = Math.rint(v);
            return r >= 1e6 ? String.format(Locale.ROOT, "%.3g", r) : String.valueOf((long) r);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
