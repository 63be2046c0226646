package org.llasalab.eval.trainscaling;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.llasalab.eval.charts.ScalingCharts;
import org.llasalab.eval.charts.ChartFiles;

/**
 * The charts of a train-time scaling study (PNG + SVG through {@link ChartFiles}, the palette and panel
 * size of {@link ScalingCharts}):
 * <ul>
 *   <li>held-out loss versus training FLOPs, one line per run (log x);</li>
 *   <li>final quality versus parameters, one panel per metric, one line per strategy with 95% interval
 *       bars (log x).</li>
 * </ul>
 */
public final class TrainScalingCharts {
    /** One run's loss curve; {@code label} names the run and its size. */
    public record Curve(String label, double[] x, double[] loss) {}

    /** One exported model's quality: x = parameters, the mean and its 95% interval. */
    public record Point(double x, double mean, double low, double high) {}

    /**
     * One line of a quality panel: a strategy's points in order of size, for one data budget
     * ({@code family}, e.g. "8M tokens") or for the study's only budget ({@code family} null).
     */
    public record Line(String strategy, String family, List<Point> points) {
        /** The legend's name: the strategy, and its family when the study has several. */
        public String label() {
            return family == null ? strategy : strategy + ", " + family;
        }
    }

    private TrainScalingCharts() {}

    /**
     * Writes {@code base.png} and {@code base.svg}: held-out loss against a log-scaled x (training FLOPs,
     * tokens seen, ...), a line per curve.
     */
    public static void heldoutLoss(List<Curve> curves, String title, String xTitle, Path base) throws IOException {
        XYChart chart = chart(title, xTitle + " (log scale)", "held-out loss (nats per speech token)");
        int colour = 0;
        for (Curve c : curves) {
            Color col = ScalingCharts.PALETTE[colour++ % ScalingCharts.PALETTE.length];
            XYSeries s = chart.addSeries(c.label(), log10(c.x()), c.loss());
            s.setLineColor(col);
            s.setMarkerColor(col);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(SeriesLines.SOLID);
        }
        // beside the plot: curves fall from the top left to the bottom right, so no corner inside is free
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        if (curves.isEmpty()) {
            // XChart cannot draw an empty chart: one invisible point keeps the axes and the title
            XYSeries s = chart.addSeries("no loss curve yet", new double[] {0}, new double[] {0});
            s.setMarker(SeriesMarkers.NONE);
        }
        ChartFiles.save(List.of(chart), ScalingCharts.W + 260, ScalingCharts.H, base);
    }

    /**
     * Writes {@code base.png} and {@code base.svg}: a panel per metric ({@code lines}: metric -> lines), a
     * line per strategy (and family), vertical bars for the 95% intervals. A line takes its colour from its
     * strategy and its dashes from its family: the family seen last (the biggest budget) solid, earlier
     * ones dashed, so one strategy's families read as one colour.
     */
    public static void qualityVsParameters(Map<String, List<Line>> lines, Map<String, String> directions,
            Path base) throws IOException {
        List<XYChart> panels = new ArrayList<>();
        for (var metric : lines.entrySet()) {
            String direction = directions.getOrDefault(metric.getKey(), "unknown");
            String arrow = direction.equals("higher") ? " (higher is better)"
                    : direction.equals("lower") ? " (lower is better)" : "";
            XYChart chart = chart(metric.getKey() + " vs model size", "parameters (log scale)",
                    metric.getKey() + arrow);
            Map<String, Color> colours = new java.util.LinkedHashMap<>();
            List<String> families = metric.getValue().stream().map(Line::family).filter(f -> f != null).distinct()
                    .toList();
            for (Line l : metric.getValue()) {
                List<Point> ps = l.points();
                if (ps.isEmpty()) continue;
                Color col = colours.computeIfAbsent(l.strategy(),
                        k -> ScalingCharts.PALETTE[colours.size() % ScalingCharts.PALETTE.length]);
                XYSeries line = chart.addSeries(l.label(), log10(ps.stream().mapToDouble(Point::x).toArray()),
                        ps.stream().mapToDouble(Point::mean).toArray());
                line.setLineColor(col);
                line.setMarkerColor(col);
                line.setMarker(SeriesMarkers.CIRCLE);
                boolean earlierFamily = l.family() != null && !l.family().equals(families.getLast());
                line.setLineStyle(earlierFamily ? SeriesLines.DASH_DASH : SeriesLines.SOLID); // not the theme's cycle
                if (earlierFamily) line.setMarker(SeriesMarkers.DIAMOND);
                for (int k = 0; k < ps.size(); k++) {   // by position: two runs may share a size (seeds, recipes)
                    Point p = ps.get(k);
                    if (Double.isNaN(p.low()) || Double.isNaN(p.high())) continue;
                    XYSeries bar = chart.addSeries(l.label() + " 95% CI " + (k + 1),
                            log10(new double[] {p.x(), p.x()}), new double[] {p.low(), p.high()});
                    bar.setLineColor(col);
                    bar.setMarker(SeriesMarkers.NONE);
                    bar.setShowInLegend(false);
                }
            }
            if (chart.getSeriesMap().isEmpty()) continue;
            // the sizes are few and close on a log axis: a margin on both sides, a tick label at each size,
            // and the legend below the plot, where it covers no point
            double[] sizes = metric.getValue().stream().flatMap(l -> l.points().stream())
                    .mapToDouble(p -> Math.log10(p.x())).toArray();
            double lo = java.util.Arrays.stream(sizes).min().orElse(0), hi = java.util.Arrays.stream(sizes).max().orElse(1);
            double pad = Math.max(0.05, 0.08 * (hi - lo));
            chart.getStyler().setXAxisMin(lo - pad).setXAxisMax(hi + pad);
            chart.getStyler().setXAxisTickMarkSpacingHint(40);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            panels.add(chart);
        }
        if (panels.isEmpty()) return;
        ChartFiles.save(panels, ScalingCharts.W, ScalingCharts.H, base);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(ScalingCharts.W).height(ScalingCharts.H).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        // like ScalingCharts: x is plotted as its logarithm and labelled with the value itself
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> String.format(Locale.ROOT, "%.3g", Math.pow(10, v)));
        return chart;
    }

    private static double[] log10(double[] xs) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) out[i] = Math.log10(xs[i]);
        return out;
    }
}
