package org.llasalab.eval.score;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.llasalab.eval.html.Histogram;
import org.llasalab.eval.html.Html;
import org.llasalab.io.AtomicFiles;

/**
 * {@code report.html}: a self-contained page with the aggregate table (value and 95% bootstrap
 * interval), one inline-SVG histogram per metric, the missing outputs, and one row per utterance,
 * worst first, with audio players for the output and the prompt ({@code <audio controls>} with paths
 * relative to the report, so the folder can be moved together with the audio).
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static void write(ScoreTable table, String benchmark, Path audioDir, Path outDir) throws IOException {
        AtomicFiles.write(outDir.resolve("report.html"), render(table, benchmark, audioDir, outDir));
    }

    public static String render(ScoreTable table, String benchmark, Path audioDir, Path outDir) {
        StringBuilder h = new StringBuilder();
        String title = "llasa eval: " + benchmark;
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Html.text(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin:1em 0}"
                        + "td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px;vertical-align:top}th{background:#eee}"
                        + "td.num{text-align:right;font-variant-numeric:tabular-nums}audio{width:220px;height:32px}"
                        + ".charts svg{margin:0 1em 1em 0;border:1px solid #ddd}</style></head><body>\n");
        h.append("<h1>").append(Html.text(title)).append("</h1>\n<p>Audio: <code>").append(Html.text(audioDir.toAbsolutePath().normalize().toString()))
                .append("</code>. Items: ").append(table.rows().size()).append(", scored: ").append(table.scored().size())
                .append(", missing: ").append(table.missing().size()).append(".</p>\n");

        h.append("<h2>Aggregates</h2>\n<table id=\"aggregates\"><thead><tr><th>metric</th><th>statistic</th><th>value</th>"
                + "<th>95% CI low</th><th>95% CI high</th><th>n</th></tr></thead><tbody>\n");
        for (Aggregate a : table.aggregates()) {
            h.append("<tr class=\"aggregate\"><td>").append(Html.text(a.column())).append("</td><td>").append(Html.text(a.statistic()))
                    .append("</td>").append(num(a.interval().mean())).append(num(a.interval().low())).append(num(a.interval().high()))
                    .append("<td class=\"num\">").append(a.interval().n()).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n<p>WER <em>mean</em> is the seed-tts-eval figure (mean of per-utterance rates); "
                + "<em>corpus</em> is total edits over total reference words; suffixed variants rescore the same transcripts "
                + "under another text normalisation. Intervals: percentile bootstrap over utterances.</p>\n");

        h.append("<h2>Distributions</h2>\n<div class=\"charts\">\n");
        for (Map.Entry<String, double[]> e : table.numbers().entrySet()) {
            h.append(Histogram.svg(e.getKey(), e.getValue())).append('\n');
        }
        h.append("</div>\n");

        if (!table.missing().isEmpty()) {
            h.append("<h2>Missing outputs (").append(table.missing().size()).append(")</h2>\n<ul id=\"missing\">");
            for (ScoredItem r : table.missing()) {
                h.append("<li>").append(Html.text(r.item().id())).append(" (<code>")
                        .append(Html.text(CsvReport.relative(outDir, r.audio()))).append("</code>)</li>");
            }
            h.append("</ul>\n");
        }

        h.append("<h2>Utterances (worst first)</h2>\n<table id=\"utterances\"><thead><tr><th>#</th><th>utt</th><th>output</th><th>prompt</th><th>seconds</th>");
        for (String name : table.numbers().keySet()) h.append("<th>").append(Html.text(name)).append("</th>");
        h.append("<th>target text</th>");
        for (String name : table.transcripts().keySet()) h.append("<th>").append(Html.text(name)).append(" transcript</th>");
        h.append("</tr></thead><tbody>\n");
        int rank = 1;
        for (int i : table.worstFirst()) {
            ScoredItem r = table.scored().get(i);
            h.append("<tr class=\"utterance\" data-utt=\"").append(Html.text(r.item().id())).append("\"><td class=\"num\">").append(rank++)
                    .append("</td><td>").append(Html.text(r.item().id())).append("</td><td>").append(player(outDir, r.audio()))
                    .append("</td><td>").append(player(outDir, r.item().promptWav())).append("</td>").append(num(r.seconds()));
            for (double[] v : table.numbers().values()) h.append(num(v[i]));
            h.append("<td>").append(Html.text(r.item().targetText())).append("</td>");
            for (String[] t : table.transcripts().values()) h.append("<td>").append(Html.text(t[i])).append("</td>");
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n</body></html>\n");
        return h.toString();
    }

    private static String player(Path outDir, Path audio) {
        return "<audio controls preload=\"none\" src=\"" + Html.text(Html.url(CsvReport.relative(outDir, audio))) + "\"></audio>";
    }

    private static String num(double v) {
        return "<td class=\"num\">" + (Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v)) + "</td>";
    }
}
