package org.llasalab.eval.html;

import java.util.Arrays;
import java.util.Locale;

/** A histogram of one metric as an inline SVG chart (no external files, no scripts). */
public final class Histogram {
    private static final int WIDTH = 420;
    private static final int HEIGHT = 200;
    private static final int MARGIN_LEFT = 40;
    private static final int MARGIN_BOTTOM = 30;
    private static final int MARGIN_TOP = 20;

    private Histogram() {}

    /** Bin counts of the finite values over [min, max] ({@code bins} equal bins; max goes in the last). */
    public static int[] counts(double[] values, int bins, double min, double max) {
        int[] counts = new int[bins];
        double width = max > min ? (max - min) / bins : 1;
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            int b = (int) Math.floor((v - min) / width);
            counts[Math.max(0, Math.min(bins - 1, b))]++;
        }
        return counts;
    }

    public static String svg(String title, double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg class=\"histogram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
                WIDTH, HEIGHT, Html.text("histogram of " + title)));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" font-size=\"13\">%s (n=%d)</text>",
                MARGIN_LEFT, Html.text(title), finite.length));
        if (finite.length == 0) {
            return s.append("<text x=\"40\" y=\"100\" font-size=\"12\">no values</text></svg>").toString();
        }
        double min = Arrays.stream(finite).min().orElseThrow();
        double max = Arrays.stream(finite).max().orElseThrow();
        int bins = Math.max(1, Math.min(20, (int) Math.ceil(Math.sqrt(finite.length)) + 1));
        if (max == min) bins = 1;
        int[] counts = counts(finite, bins, min, max);
        int top = Arrays.stream(counts).max().orElse(1);
        double plotW = WIDTH - MARGIN_LEFT - 10;
        double plotH = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
        double barW = plotW / bins;
        for (int b = 0; b < bins; b++) {
            double h = plotH * counts[b] / top;
            double x = MARGIN_LEFT + b * barW;
            double y = MARGIN_TOP + plotH - h;
            s.append(String.format(Locale.ROOT,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4a7ab5\"><title>%d</title></rect>",
                    x + 0.5, y, Math.max(0.5, barW - 1), h, counts[b]));
        }
        double axisY = MARGIN_TOP + plotH;
        s.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\"/>", MARGIN_LEFT, axisY, WIDTH - 10, axisY));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\">%s</text>",
                MARGIN_LEFT, axisY + 15, label(min)));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>",
                WIDTH - 10, axisY + 15, label(max)));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%d</text>",
                MARGIN_LEFT - 4, MARGIN_TOP + 10, top));
        return s.append("</svg>").toString();
    }

    private static String label(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
