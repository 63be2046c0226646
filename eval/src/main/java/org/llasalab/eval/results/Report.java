package org.llasalab.eval.results;

import org.llasalab.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.llasalab.eval.experiment.ResultsFolder;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * Writes {@code report.md} in a results folder: the aggregate table (mean and 95% interval per cell
 * and metric), links to the CSV tables, the resolved configuration, every chart and the saved audio,
 * and the cells that failed with their errors.
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Report() {}

    /**
     * Writes the folder's report from its tables and charts; {@code timing} (markdown, or null for none) is the
     * last run's time by component, shown at the end.
     */
    public static Path write(ResultsFolder folder, String timing) throws IOException {
        Table aggregate = ResultTables.read(folder.file(ResultsFolder.AGGREGATE_CSV));
        StringBuilder md = new StringBuilder();
        String name = folder.dir().toAbsolutePath().normalize().getFileName().toString();
        md.append("# Experiment ").append(name).append("\n\n");
        md.append("- configuration (defaults filled in, one entry per cell): [")
                .append(ResultsFolder.RESOLVED).append("](").append(ResultsFolder.RESOLVED).append(")\n");
        md.append("- per utterance (one row per cell x utterance): [").append(ResultsFolder.RESULTS_CSV).append("](")
                .append(ResultsFolder.RESULTS_CSV).append(")\n");
        md.append("- per cell (mean, 95% bootstrap interval, ledger totals): [").append(ResultsFolder.AGGREGATE_CSV)
                .append("](").append(ResultsFolder.AGGREGATE_CSV).append(")\n");
        md.append("- metric directions: [").append(ResultsFolder.METRICS_CSV).append("](")
                .append(ResultsFolder.METRICS_CSV).append(")\n");
        if (Files.isDirectory(folder.dir().resolve("audio"))) {
            md.append("- audio of the chosen candidates, per cell: [audio/](audio/)\n");
        }
        md.append("\n## Results\n\n");
        md.append("| cell | model | strategy | search | budget | seed | metric | role | mean | 95% CI | n | status |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : aggregate) {
            md.append("| ").append(r.getString("cell"))
                    .append(" | ").append(r.getString("model"))
                    .append(" | ").append(r.getString("strategy"))
                    .append(" | ").append(r.getString("search"))
                    .append(" | ").append(r.getInt("budget"))
                    .append(" | ").append(r.getLong("seed"))
                    .append(" | ").append(r.getString("metric"))
                    .append(" | ").append(r.getString("role"))
                    .append(" | ").append(ResultTables.fmt(r.getDouble("mean")))
                    .append(" | ").append(ResultTables.fmt(r.getDouble("ci_low"))).append(" to ")
                    .append(ResultTables.fmt(r.getDouble("ci_high")))
                    .append(" | ").append(r.getInt("n"))
                    .append(" | ").append(r.getString("status")).append(" |\n");
        }
        List<Path> charts = charts(folder);
        if (!charts.isEmpty()) {
            md.append("\n## Charts\n\n");
            for (Path png : charts) {
                String file = png.getFileName().toString();
                String base = file.substring(0, file.length() - 4);
                md.append("### ").append(base).append("\n\n![").append(base).append("](charts/").append(file)
                        .append(")  \n[SVG](charts/").append(base).append(".svg)\n\n");
            }
        }
        Set<String> failedCells = new LinkedHashSet<>();
        for (Row r : aggregate) {
            if (r.getString("status").equals("failed")) failedCells.add(r.getString("cell"));
        }
        if (!failedCells.isEmpty()) {
            md.append("\n## Failures\n\n");
            for (String cell : failedCells) {
                Path status = folder.cellStatus(cell);
                JsonNode node = JSON.readTree(status.toFile());
                md.append("- cell ").append(cell).append(" (").append(node.path("cell").asText()).append(")\n");
                for (JsonNode err : node.path("errors")) {
                    md.append("  - ").append(err.path("item").isNull() ? "cell" : "utterance " + err.path("item").asText())
                            .append(": ").append(err.path("error").asText().replace("\n", " ")).append("\n");
                }
            }
        }
        if (timing != null) md.append("\n## Time by component\n\n").append(timing);
        Path report = folder.file(ResultsFolder.REPORT);
        AtomicFiles.write(report, md.toString());
        return report;
    }

    private static List<Path> charts(ResultsFolder folder) throws IOException {
        if (!Files.isDirectory(folder.charts())) return List.of();
        try (Stream<Path> s = Files.list(folder.charts())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        }
    }
}
