package org.llasalab.eval.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.run.CellExecutor;
import org.llasalab.eval.experiment.BudgetGroups;
import org.llasalab.eval.experiment.CostEstimate;
import org.llasalab.eval.experiment.Environments;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.ExperimentReader;
import org.llasalab.eval.run.ExperimentRunner;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.run.RunClock;
import org.llasalab.eval.run.RunSummary;
import org.llasalab.eval.run.SearchCellExecutor;
import org.llasalab.eval.experiment.Shard;
import org.llasalab.eval.run.SweepState;
import org.llasalab.eval.results.UtteranceStore;
import org.llasalab.eval.trainscaling.TrainScalingRunner;
import org.llasalab.eval.trainscaling.TrainScalingStudy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llasa run FILE}: validates, then runs (or resumes) an experiment. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run an experiment YAML file: every model x strategy x budget x seed cell on the dataset.",
                "A study file (study: train-scaling) draws its runs' loss curves and evaluates their exported models.",
                "Finished cells and utterances are kept and skipped, so an interrupted run resumes where it stopped."})
public final class RunCommand implements CliCommand, Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The experiment YAML file.")
    Path file;

    @Option(names = "--output", paramLabel = "DIR", description = "Results folder (default: output.dir of the file).")
    Path output;

    @Option(names = "--dry-run", description = "Print the cells and an estimated cost, run nothing.")
    boolean dryRun;

    @Option(names = "--shard", paramLabel = "I/N", converter = ShardConverter.class,
            description = {"Run only shard I of N (I from 0): the utterances of every cell whose ids hash to I.",
                    "The shards share the results folder; the last to end writes the tables (see `llasa slurm`)."})
    Shard shard = Shard.ALL;

    @Option(names = "--merge", description = {"Run nothing: build the tables, charts and report from what the folder",
            "holds (all shards' results) and say what is missing; exit status 1 while the sweep is incomplete."})
    boolean merge;

    @Override
    public Integer call() throws Exception {
        if (TrainScalingStudy.isStudy(file)) {
            if (!shard.isAll() || merge) throw new IllegalArgumentException(file + ": a study runs on one machine (no --shard, --merge)");
            return study();
        }
        Experiment e = new ExperimentReader(Environments.discover()).read(file);
        Path out = output != null ? output : e.output().dir();
        if (dryRun) {
            dryRun(e, out);
            return 0;
        }
        if (merge) {
            if (!shard.isAll()) throw new IllegalArgumentException("--merge takes every shard's results: no --shard");
            try (CellExecutor executor = new SearchCellExecutor(e)) { // only asked for metric directions
                SweepState state = new ExperimentRunner(executor, Progress.console()).merge(e, out);
                System.out.println(state.describe());
                System.out.println("results: " + out.resolve(ResultsFolder.REPORT));
                return state.complete() ? 0 : 1;
            }
        }
        try (CellExecutor executor = new SearchCellExecutor(e)) {
            RunSummary summary = new ExperimentRunner(executor, Progress.console()).run(e, out, shard);
            System.out.println((shard.isAll() ? "" : "shard " + shard + ", its part of each cell: ") + summary.describe());
            String timing = RunClock.readFormatted(out);
            if (timing != null) System.out.print("\n" + timing + "\n");
            System.out.println("results: " + out.resolve(ResultsFolder.REPORT)
                    + (shard.isAll() ? "" : " (once the last shard has ended)"));
            return summary.failures().isEmpty() ? 0 : 1;
        }
    }

    /** A study file ({@code study: train-scaling}): its runs' curves, the final experiment, the scaling table. */
    private int study() throws Exception {
        TrainScalingStudy study = TrainScalingStudy.read(file, Environments.discover());
        Path out = output != null ? output : study.outputDir();
        TrainScalingRunner runner = new TrainScalingRunner(Progress.console(), System.out::println);
        if (dryRun) {
            runner.plan(study, out).forEach(System.out::println);
            return 0;
        }
        TrainScalingRunner.Outcome outcome = runner.run(study, out);
        if (outcome.finalSummary() != null) System.out.println(outcome.finalSummary().describe());
        System.out.println("results: " + out.resolve(TrainScalingRunner.REPORT));
        return outcome.finalSummary() == null || outcome.finalSummary().failures().isEmpty() ? 0 : 1;
    }

    /** Parses {@code --shard I/N}. */
    static final class ShardConverter implements CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (IllegalArgumentException ex) {
                throw new CommandLine.TypeConversionException(ex.getMessage());
            }
        }
    }

    private void dryRun(Experiment e, Path out) {
        ExperimentRunner runner = new ExperimentRunner(null, Progress.silent());
        List<Cell> cells = runner.cells(e);
        List<BenchmarkItem> items = runner.items(e);
        ResultsFolder folder = new ResultsFolder(out);
        System.out.printf("%-12s  %-14s  %-14s  %6s  %6s  %9s  %s%n", "cell", "model", "strategy", "budget", "seed",
                "done", "estimated cost of what remains (on its own)");
        for (Cell c : cells) {
            int done = (int) items.stream().filter(i -> UtteranceStore.isDone(folder, c, i)).count();
            CostEstimate cost = CostEstimate.of(c, items.size() - done);
            System.out.printf("%-12s  %-14s  %-14s  %6d  %6d  %4d/%-4d  %s%n", c.id(), c.model().name(),
                    c.strategy().name(), c.budget(), c.seed(), done, items.size(), cost);
        }
        // what the run will do: the budgets of a best-of-N strategy share one search per utterance
        CostEstimate total = CostEstimate.ZERO;
        for (List<Cell> group : BudgetGroups.of(cells)) {
            for (BenchmarkItem item : items) {
                List<Cell> lacking = group.stream().filter(c -> !UtteranceStore.isDone(folder, c, item)).toList();
                if (!lacking.isEmpty()) total = total.plus(CostEstimate.ofBudgetGroup(lacking));
            }
        }
        System.out.println(cells.size() + " cells x " + items.size() + " utterances into " + out);
        System.out.println("total (upper bound; best-of-N budgets share one search): " + total);
        if (!shard.isAll()) {
            Shard.Part part = Shard.plan(BudgetGroups.of(cells), items, shard.count(),
                    (c, i) -> UtteranceStore.isDone(folder, c, i)).get(shard.index());
            System.out.println("shard " + shard + ": " + part.utterances() + " utterances of " + part.cells()
                    + " cells, " + part.done() + " finished; what remains: " + part.remaining());
        }
    }
}
