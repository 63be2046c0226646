package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.cli.CliRun;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;

/** {@code llasa validate}, {@code run} (dry and real, then resumed) and {@code plot} through the CLI. */
class CliCommandsTest {
    @TempDir
    Path dir;

    private static CliRun llasa(String... args) {
        return CliRun.of(args);
    }

    private Path experiment() throws Exception {
        Path fixture = Path.of(getClass().getResource("/tiny-llasa/model/config.json").toURI()).getParent().getParent();
        Path data = Files.createDirectories(dir.resolve("data"));
        float[] tone = new float[8000];
        for (int i = 0; i < tone.length; i++) tone[i] = (float) (0.3 * Math.sin(i * 0.05));
        Wav.write(data.resolve("p.wav"), new Audio(tone, 16000), false);
        Files.writeString(data.resolve("p.codes.json"), "[5, 6, 7, 8]"); // the decoder-only X-codec2 fixture cannot encode
        Files.writeString(data.resolve("meta.lst"), "u1|hello|p.wav|hello world\nu2|hello|p.wav|world\n");
        String yaml = """
                name: cli
                models:
                  tiny: {path: %s, codec: %s}
                dataset: {path: data/meta.lst}
                strategies:
                  bon: {type: best_of_n, budgets: [1, 2]}
                verifiers:
                  level: {type: test-level}
                  length: {type: test-length}
                search: level
                sampling: {max_tokens: 8}
                output: {dir: %s}
                """.formatted(fixture.resolve("model"), fixture.resolve("codec"), dir.resolve("results"));
        Path file = dir.resolve("cli.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void validateReportsEveryProblemAndExitsOne() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: bad\nmodels: {}\ndataset: nowhere\nstrategies:\n  s: {type: sample, budgets: [1], n: 2}\n");
        CliRun r = llasa("validate", bad.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("llasa: 3 problems in the experiment:"), r.err());
        assertTrue(r.err().contains(bad + ":2:9: models: at least one model is needed"), r.err());
        assertTrue(r.err().contains(bad + ":3:10: dataset: unknown dataset 'nowhere'"), r.err());
        assertTrue(r.err().contains(bad + ":5:35: strategies.s: unknown key 'n'"), r.err());

        CliRun ok = llasa("validate", experiment().toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("valid (1 models, 1 strategies, 1 seeds: 2 cells)"), ok.out());
    }

    @Test
    void dryRunThenRunThenResumeThenPlot() throws Exception {
        Path file = experiment();
        CliRun dry = llasa("run", file.toString(), "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("2 cells x 2 utterances"), dry.out());
        assertTrue(dry.out().contains("total (upper bound; best-of-N budgets share one search): 4 utterances"),
                dry.out());
        assertTrue(dry.out().contains("<= 32 LM tokens"),
                "budgets 1 and 2 share one search: 2 candidates x 2 utterances x 8 tokens: " + dry.out());
        assertTrue(Files.notExists(dir.resolve("results")), "a dry run writes nothing");

        CliRun run = llasa("run", file.toString());
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("2 cells: 2 complete (0 already finished before this run), 0 failed; 4 utterances run"),
                run.out());
        assertTrue(Files.isRegularFile(dir.resolve("results/report.md")));

        CliRun again = llasa("run", file.toString(), "--output", dir.resolve("results").toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("(2 already finished before this run)"), again.out());
        assertTrue(again.out().contains("0 utterances run, 4 reused"), again.out());

        CliRun dryAgain = llasa("run", file.toString(), "--dry-run");
        assertTrue(dryAgain.out().contains("total (upper bound; best-of-N budgets share one search): 0 utterances"),
                dryAgain.out());

        Files.delete(dir.resolve("results/charts/scaling-bon.png"));
        CliRun plot = llasa("plot", dir.resolve("results").toString(), "--x", "decode_tokens");
        assertEquals(0, plot.code(), plot.err());
        assertTrue(Files.isRegularFile(dir.resolve("results/charts/scaling-bon.png")));
        CliRun badPlot = llasa("plot", dir.resolve("nothing").toString());
        assertEquals(1, badPlot.code());
        assertTrue(badPlot.err().contains("no such results folder"), badPlot.err());
    }
    @Test
    void shardsThroughTheCliThenMergeAndTheSlurmDryRun() throws Exception {
        Path file = experiment();
        Path out = dir.resolve("sharded");
        CliRun bad = llasa("run", file.toString(), "--shard", "2/2");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("shard 2/2: expected I/N with N >= 1 and 0 <= I < N"), bad.err());

        CliRun first = llasa("run", file.toString(), "--output", out.toString(), "--shard", "0/2");
        assertEquals(0, first.code(), first.err() + first.out());
        assertTrue(first.out().startsWith("shard 0/2, its part of each cell: "), first.out());
        CliRun merged = llasa("run", file.toString(), "--output", out.toString(), "--merge");
        int done = Integer.parseInt(merged.out().replaceAll("(?s) of 4 utterances finished.*", "").strip());
        assertEquals(done == 4 ? 0 : 1, merged.code(), "exit 1 while the sweep is incomplete: " + merged.out());
        CliRun second = llasa("run", file.toString(), "--output", out.toString(), "--shard", "1/2");
        assertEquals(0, second.code(), second.err() + second.out());
        CliRun complete = llasa("run", file.toString(), "--output", out.toString(), "--merge");
        assertEquals(0, complete.code(), complete.err() + complete.out());
        assertTrue(complete.out().contains("4 of 4 utterances finished; 2 cells: 2 done, 0 failed, 0 incomplete"),
                complete.out());
        assertTrue(Files.isRegularFile(out.resolve("aggregate.csv")));

        CliRun slurm = llasa("slurm", file.toString(), "--output", dir.resolve("cluster").toString(), "--shards", "2",
                "--gres", "gpu:1", "--launcher", "/opt/llasa/llasa", "--dry-run");
        assertEquals(0, slurm.code(), slurm.err());
        assertTrue(slurm.out().contains("#SBATCH --array=0-1"), slurm.out());
        assertTrue(slurm.out().contains("exec /opt/llasa/llasa run " + file.toAbsolutePath() + " --output "
                + dir.resolve("cluster").toAbsolutePath() + " --merge"), slurm.out());
        // the two shards' utterances add up to the sweep's (2 cells x 2 utterances)
        int utterances = 0;
        for (String line : slurm.out().lines().filter(l -> l.matches("[01]/2 .*")).toList()) {
            utterances += Integer.parseInt(line.trim().split("\\s+")[2]);
        }
        assertEquals(4, utterances, slurm.out());
        assertTrue(Files.notExists(dir.resolve("cluster")), "a dry run writes nothing");
    }
}
