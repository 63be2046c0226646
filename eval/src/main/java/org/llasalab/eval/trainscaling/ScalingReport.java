package org.llasalab.eval.trainscaling;

import static org.llasalab.eval.trainscaling.ScalingTables.count;
import static org.llasalab.eval.trainscaling.TrainScalingRunner.CURVES_CSV;
import static org.llasalab.eval.trainscaling.TrainScalingRunner.DIFFERENCES_CSV;
import static org.llasalab.eval.trainscaling.TrainScalingRunner.LOSS_CHART;
import static org.llasalab.eval.trainscaling.TrainScalingRunner.LOSS_TOKENS_CHART;
import static org.llasalab.eval.trainscaling.TrainScalingRunner.QUALITY_CHART;
import static org.llasalab.eval.trainscaling.TrainScalingRunner.SCALING_CSV;

import java.util.List;
import java.util.Locale;
import org.llasalab.eval.stats.Bootstrap;
import org.llasalab.eval.trainscaling.PairedDifferences.Difference;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/** {@code report.md} of a train-scaling study: the runs, the quality table, the paired differences, the charts, notes. */
final class ScalingReport {
    private ScalingReport() {}


    static String report(TrainScalingStudy study, List<RunFacts> facts, Table scaling, boolean evaluated,
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
}
