package org.llasalab.eval.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.charts.ScalingCharts;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.experiment.Shard;
import org.llasalab.eval.results.Report;
import org.llasalab.eval.results.ResultTables;
import org.llasalab.verify.Verifier;

/**
 * The one publish step of a results folder: tables, then charts, then {@code report.md}. {@code llasa run}
 * takes it at the end of a run (for a sharded run, the last shard to end), {@code llasa run --merge} whatever is
 * finished, {@code llasa plot} from the tables the folder holds ({@link #fromTables}). The report shows the last
 * run's time by component ({@value RunClock#FILE}), which a run writes between the charts and the report.
 */
public final class Publish {
    private Publish() {}

    /**
     * What the tables are built from: the sweep's cells x items, whose finished results the folder holds, and
     * what is known of the metrics' directions ({@link ResultTables#write}).
     */
    public record Sweep(Experiment experiment, List<Cell> cells, List<BenchmarkItem> items,
            Map<String, Verifier.Direction> directions) {}

    /** What a publish wrote: the charts (without extension) and the report. */
    public record Published(List<Path> charts, Path report) {}

    /** A run's clock and what the run did, to write as its time by component ({@value RunClock#FILE}). */
    record Timing(RunClock clock, RunSummary summary, Shard shard) {
        /** Stops the clock and writes the split into the folder (its report shows it). */
        void write(ResultsFolder folder) throws IOException {
            double load = clock.meanLoad();
            String header = "time by component of the last `llasa run` into this folder"
                    + (shard.isAll() ? "" : " (shard " + shard + ")") + ": " + summary.utterancesRun()
                    + " utterances run, " + summary.utterancesSkipped() + " reused; "
                    + Runtime.getRuntime().availableProcessors() + " cores" + (Double.isNaN(load) ? ""
                            : String.format(Locale.ROOT, ", mean load average %.2f during the run", load));
            RunClock.write(folder.dir(), clock.finish(), header);
        }
    }

    /**
     * Writes the tables of {@code sweep}, the charts (x: budget) and the report. {@code timing} (null for a merge)
     * counts the tables and charts as {@link RunClock.Component#TABLES} and is written before the report.
     */
    static Published sweep(ResultsFolder folder, Sweep sweep, Timing timing) throws IOException {
        if (timing != null) timing.clock().enter(RunClock.Component.TABLES);
        ResultTables.write(folder, sweep.experiment(), sweep.cells(), sweep.items(), sweep.directions());
        List<Path> charts = ScalingCharts.drawAll(folder, "budget");
        if (timing != null) {
            timing.clock().exit();
            timing.write(folder);
        }
        return new Published(charts, report(folder));
    }

    /** Redraws the charts with {@code xField} on the x axis (budget or a ledger column) and the report from the folder's tables. */
    public static Published fromTables(ResultsFolder folder, String xField) throws IOException {
        List<Path> charts = ScalingCharts.drawAll(folder, xField);
        return new Published(charts, report(folder));
    }

    private static Path report(ResultsFolder folder) throws IOException {
        return Report.write(folder, RunClock.readFormatted(folder.dir()));
    }
}
