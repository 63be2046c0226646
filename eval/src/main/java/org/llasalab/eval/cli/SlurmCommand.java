package org.llasalab.eval.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.cluster.SlurmJob;
import org.llasalab.eval.experiment.BudgetGroups;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.Environments;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.ExperimentReader;
import org.llasalab.eval.run.ExperimentRunner;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.experiment.Shard;
import org.llasalab.eval.results.UtteranceStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llasa slurm FILE --output DIR --shards N}: an experiment as a Slurm job array plus a merge job. */
@Command(name = "slurm", mixinStandardHelpOptions = true,
        description = {"Run an experiment on a Slurm cluster: writes DIR/slurm/shards.sbatch (a job array, task I running",
                "`llasa run FILE --output DIR --shard I/N`) and DIR/slurm/merge.sbatch (tables, charts, report once every",
                "task has ended); --submit submits both with sbatch (the merge after the array) and prints the job ids."})
public final class SlurmCommand implements CliCommand, Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The experiment YAML file.")
    Path file;

    @Option(names = "--output", paramLabel = "DIR", required = true,
            description = "The results folder, on a file system every node sees.")
    Path output;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "4", description = "Array tasks (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--partition", paramLabel = "P", description = "sbatch --partition.")
    String partition;

    @Option(names = "--time", paramLabel = "T", description = "sbatch --time per task (e.g. 4:00:00 or 1-12).")
    String time;

    @Option(names = "--cpus-per-task", paramLabel = "C", description = "sbatch --cpus-per-task of each shard.")
    Integer cpusPerTask;

    @Option(names = "--gres", paramLabel = "G", description = "sbatch --gres of each shard, e.g. gpu:1.")
    String gres;

    @Option(names = "--launcher", paramLabel = "CMD",
            description = "How the nodes start llasa (default: this checkout's launcher, ${sys:llasa.home}/llasa).")
    String launcher;

    @Option(names = "--sbatch", paramLabel = "CMD", defaultValue = "sbatch", hidden = true)
    String sbatch;

    @Option(names = "--submit", description = "Submit the array and the merge job with sbatch.")
    boolean submit;

    @Option(names = "--dry-run", description = "Show the scripts and the cells and utterances of each shard; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        if (submit && dryRun) throw new IllegalArgumentException("--submit and --dry-run: choose one");
        Experiment e = new ExperimentReader(Environments.discover()).read(file);
        SlurmJob job = new SlurmJob(e.name(), file, output, shards, launcher != null ? launcher : defaultLauncher(),
                partition, time, cpusPerTask, gres);
        if (dryRun) {
            System.out.println("# " + job.folder().resolve(SlurmJob.SHARDS_SCRIPT));
            System.out.print(job.shardsScript());
            System.out.println("# " + job.folder().resolve(SlurmJob.MERGE_SCRIPT));
            System.out.print(job.mergeScript());
            plan(e);
            return 0;
        }
        List<Path> scripts = job.write();
        System.out.println("wrote " + scripts.get(0) + " and " + scripts.get(1));
        if (!submit) {
            System.out.println("submit them with:");
            System.out.println("  jobid=$(sbatch --parsable " + scripts.get(0) + ")");
            System.out.println("  sbatch --dependency=afterany:$jobid " + scripts.get(1));
            return 0;
        }
        SlurmJob.Submitted ids = job.submit(sbatch);
        System.out.println("submitted job array " + ids.shardsJob() + " (tasks 0-" + (shards - 1) + ", logs "
                + job.folder().resolve("shard-N.log") + ")");
        System.out.println("submitted merge job " + ids.mergeJob() + " (after every task; log "
                + job.folder().resolve("merge.log") + ")");
        System.out.println(ids.shardsJob() + " " + ids.mergeJob());
        return 0;
    }

    /** Per shard: cells it has utterances of, its utterances, how many are finished, the cost of the rest. */
    private void plan(Experiment e) {
        ExperimentRunner runner = new ExperimentRunner(null, Progress.silent());
        List<Cell> cells = runner.cells(e);
        List<BenchmarkItem> items = runner.items(e);
        ResultsFolder folder = new ResultsFolder(output);
        System.out.println("# " + cells.size() + " cells x " + items.size() + " utterances in " + shards
                + " shards (each utterance of each budget group falls to one shard by a hash of its ids):");
        System.out.printf("%-7s  %5s  %10s  %8s  %s%n", "shard", "cells", "utterances", "finished",
                "estimated cost of what remains");
        for (Shard.Part p : Shard.plan(BudgetGroups.of(cells), items, shards,
                (c, i) -> UtteranceStore.isDone(folder, c, i))) {
            System.out.printf("%-7s  %5d  %10d  %8d  %s%n", p.shard(), p.cells(), p.utterances(), p.done(), p.remaining());
        }
    }

    private static String defaultLauncher() {
        String home = System.getProperty("llasa.home");
        Path l = home == null ? null : Path.of(home, "llasa").toAbsolutePath();
        if (l == null || !Files.isExecutable(l)) {
            throw new IllegalArgumentException("cannot tell how the nodes start llasa (no launcher at "
                    + (l == null ? "$llasa.home/llasa" : l) + "): give --launcher");
        }
        return SlurmJob.quote(l.toString());
    }
}
