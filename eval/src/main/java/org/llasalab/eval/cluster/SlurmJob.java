package org.llasalab.eval.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.llasalab.io.AtomicFiles;

/**
 * An experiment as Slurm jobs: a job array of {@code shards} tasks, task I running
 * {@code llasa run FILE --output DIR --shard I/N} ({@code shards.sbatch}), and a merge job to submit with
 * {@code --dependency=afterany:ARRAY} that builds the tables, charts and report once every task has ended
 * ({@code merge.sbatch}). Both live in {@code DIR/slurm/} with the tasks' logs. The array is requeueable and
 * its logs append, so a task that a node failure, a preemption or {@code scontrol requeue} restarts resumes
 * its shard from the utterances already finished.
 *
 * @param launcher the command that starts {@code llasa} on the nodes (this checkout's launcher, or e.g. a
 *        container command), put in the scripts as it is
 * @param partition, time, cpusPerTask, gres passed to sbatch when not null
 */
public record SlurmJob(String name, Path experiment, Path output, int shards, String launcher, String partition,
        String time, Integer cpusPerTask, String gres) {
    public static final String SHARDS_SCRIPT = "shards.sbatch";
    public static final String MERGE_SCRIPT = "merge.sbatch";
    private static final Pattern TIME = Pattern.compile(
            "\\d+|\\d+:\\d{1,2}|\\d+:\\d{1,2}:\\d{1,2}|\\d+-\\d+|\\d+-\\d+:\\d{1,2}|\\d+-\\d+:\\d{1,2}:\\d{1,2}|UNLIMITED|INFINITE");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:,=+-]+");

    public SlurmJob {
        experiment = experiment.toAbsolutePath().normalize();
        output = output.toAbsolutePath().normalize();
        if (shards < 1) throw new IllegalArgumentException("--shards " + shards + ": need at least 1");
        if (launcher == null || launcher.isBlank() || launcher.contains("\n")) {
            throw new IllegalArgumentException("--launcher: need the command that starts llasa on the nodes");
        }
        if (time != null && !TIME.matcher(time).matches()) {
            throw new IllegalArgumentException("--time " + time
                    + ": not a Slurm time (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)");
        }
        check("--partition", partition);
        check("--gres", gres);
        if (cpusPerTask != null && cpusPerTask < 1) {
            throw new IllegalArgumentException("--cpus-per-task " + cpusPerTask + ": need at least 1");
        }
        // #SBATCH lines are not a shell: a path there cannot be quoted
        if (output.toString().chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(output + ": a results folder for Slurm needs a path without spaces");
        }
        name = name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static void check(String option, String value) {
        if (value != null && !WORD.matcher(value).matches()) {
            throw new IllegalArgumentException(option + " " + value + ": unexpected characters");
        }
    }

    /** {@code DIR/slurm}: the scripts and the logs. */
    public Path folder() {
        return output.resolve("slurm");
    }

    /** The job array: one task per shard. */
    public String shardsScript() {
        List<String> l = new ArrayList<>();
        l.add("#!/bin/bash");
        l.add("# Llasa Lab: experiment " + name + " as " + shards + " shards, a Slurm job array (written by `llasa slurm`).");
        l.add("# Task I runs shard I/" + shards + " into the shared results folder; a killed or requeued task resumes its shard.");
        l.add("#SBATCH --job-name=llasa-" + name);
        l.add("#SBATCH --array=0-" + (shards - 1));
        l.add("#SBATCH --output=" + folder().resolve("shard-%a.log"));
        l.add("#SBATCH --open-mode=append");
        l.add("#SBATCH --requeue");
        resources(l, true);
        l.add("set -euo pipefail");
        l.add("echo \"llasa: shard $SLURM_ARRAY_TASK_ID/" + shards + ", job ${SLURM_ARRAY_JOB_ID}_$SLURM_ARRAY_TASK_ID"
                + " on $(hostname), start ${SLURM_RESTART_COUNT:-0}, $(date -u +%FT%TZ)\"");
        l.add("exec " + launcher + " run " + quote(experiment.toString()) + " --output " + quote(output.toString())
                + " --shard \"$SLURM_ARRAY_TASK_ID/" + shards + "\"");
        return String.join("\n", l) + "\n";
    }

    /** The merge: tables, charts and report of whatever the shards finished; exit 1 while anything is missing. */
    public String mergeScript() {
        List<String> l = new ArrayList<>();
        l.add("#!/bin/bash");
        l.add("# Llasa Lab: merges the " + shards + " shards of experiment " + name + " (written by `llasa slurm`).");
        l.add("# Submitted with --dependency=afterany:ARRAY_JOB_ID: it runs once every shard has ended.");
        l.add("#SBATCH --job-name=llasa-" + name + "-merge");
        l.add("#SBATCH --output=" + folder().resolve("merge.log"));
        l.add("#SBATCH --open-mode=append");
        resources(l, false);
        l.add("set -euo pipefail");
        l.add("exec " + launcher + " run " + quote(experiment.toString()) + " --output " + quote(output.toString())
                + " --merge");
        return String.join("\n", l) + "\n";
    }

    private void resources(List<String> l, boolean shard) {
        if (partition != null) l.add("#SBATCH --partition=" + partition);
        if (time != null) l.add("#SBATCH --time=" + time);
        if (shard && cpusPerTask != null) l.add("#SBATCH --cpus-per-task=" + cpusPerTask);
        if (!shard) l.add("#SBATCH --cpus-per-task=1");
        if (shard && gres != null) l.add("#SBATCH --gres=" + gres);
    }

    /** Writes both scripts into {@link #folder()}; returns their paths (shards, merge). */
    public List<Path> write() throws IOException {
        Path dir = Files.createDirectories(folder());
        Path shardsFile = dir.resolve(SHARDS_SCRIPT), mergeFile = dir.resolve(MERGE_SCRIPT);
        AtomicFiles.write(shardsFile, shardsScript());
        AtomicFiles.write(mergeFile, mergeScript());
        for (Path f : List.of(shardsFile, mergeFile)) {
            try {
                Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: sbatch reads the script all the same
            }
        }
        return List.of(shardsFile, mergeFile);
    }

    /** The job ids of a submission. */
    public record Submitted(String shardsJob, String mergeJob) {}

    /**
     * Submits the written scripts with {@code sbatch}: the array, then the merge after it (afterany), and
     * returns both job ids.
     */
    public Submitted submit(String sbatch) throws IOException, InterruptedException {
        String array = sbatch(sbatch, List.of(folder().resolve(SHARDS_SCRIPT).toString()));
        String merge = sbatch(sbatch, List.of("--dependency=afterany:" + array, folder().resolve(MERGE_SCRIPT).toString()));
        return new Submitted(array, merge);
    }

    /** Runs {@code sbatch --parsable ARGS} and returns the job id it prints. */
    private static String sbatch(String sbatch, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(sbatch, "--parsable"));
        command.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException ex) {
            throw new IOException(sbatch + ": cannot start it (" + ex.getMessage()
                    + "); is this a Slurm login node? Without --submit the scripts are written for you to submit", ex);
        }
        String text = new String(p.getInputStream().readAllBytes()).strip();
        int code = p.waitFor();
        String last = text.isEmpty() ? "" : text.lines().reduce((a, b) -> b).orElse("").strip();
        String id = last.split(";")[0];
        if (code != 0 || !id.matches("\\d+")) {
            throw new IOException(String.join(" ", command) + " failed (exit " + code + "): " + text);
        }
        return id;
    }

    /** {@code s} in single quotes for bash. */
    public static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
