package org.llasalab.eval.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.run.Publish;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llasa plot RESULTS_DIR}: redraws the charts and report.md from the tables of a run. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Redraw the charts and report.md of a results folder from its tables, without running anything.")
public final class PlotCommand implements CliCommand, Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RESULTS_DIR", description = "A folder written by `llasa run`.")
    Path dir;

    @Option(names = "--x", defaultValue = "budget",
            description = "Compute on the x axis (log2): budget or a ledger field such as lm_forward_tokens (default: ${DEFAULT-VALUE}).")
    String x;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such results folder");
        }
        Publish.Published published = Publish.fromTables(new ResultsFolder(dir), x);
        for (Path c : published.charts()) System.out.println(c + ".png / .svg");
        System.out.println(published.report());
        return 0;
    }
}
