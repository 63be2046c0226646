package org.llasalab.eval.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sbatch scripts of {@code llasa slurm} and their submission (with a stand-in sbatch). */
class SlurmJobTest {
    @TempDir
    Path dir;

    private SlurmJob job(int shards) {
        return new SlurmJob("quick start", dir.resolve("exp.yaml"), dir.resolve("results"), shards, "/opt/llasa/llasa",
                "gpu", "4:00:00", 8, "gpu:1");
    }

    @Test
    void theArrayRunsOneShardPerTaskAndTheMergeRunsNothing() {
        SlurmJob j = job(3);
        String shards = j.shardsScript();
        assertTrue(shards.startsWith("#!/bin/bash\n"), shards);
        for (String line : List.of("#SBATCH --job-name=llasa-quick_start", "#SBATCH --array=0-2",
                "#SBATCH --output=" + dir.resolve("results/slurm/shard-%a.log"), "#SBATCH --open-mode=append",
                "#SBATCH --requeue", "#SBATCH --partition=gpu", "#SBATCH --time=4:00:00", "#SBATCH --cpus-per-task=8",
                "#SBATCH --gres=gpu:1",
                "exec /opt/llasa/llasa run " + dir.resolve("exp.yaml") + " --output " + dir.resolve("results")
                        + " --shard \"$SLURM_ARRAY_TASK_ID/3\"")) {
            assertTrue(shards.lines().anyMatch(line::equals), "missing " + line + " in\n" + shards);
        }
        // every #SBATCH line comes before the first command, or sbatch ignores it
        List<String> lines = shards.lines().toList();
        int firstCommand = lines.indexOf("set -euo pipefail");
        assertTrue(lines.subList(firstCommand, lines.size()).stream().noneMatch(l -> l.startsWith("#SBATCH")));

        String merge = j.mergeScript();
        assertTrue(merge.lines().anyMatch(("exec /opt/llasa/llasa run " + dir.resolve("exp.yaml") + " --output "
                + dir.resolve("results") + " --merge")::equals), merge);
        assertTrue(merge.contains("#SBATCH --cpus-per-task=1"), merge);
        assertTrue(!merge.contains("--gres") && !merge.contains("--array"), "the merge needs no GPU and is one task");
    }

    @Test
    void badOptionsAreRefusedWithTheOptionNamed() {
        Path exp = dir.resolve("e.yaml"), out = dir.resolve("r");
        record Case(String expected, Runnable make) {}
        for (Case c : List.of(
                new Case("--shards 0", () -> new SlurmJob("x", exp, out, 0, "llasa", null, null, null, null)),
                new Case("--time 4h", () -> new SlurmJob("x", exp, out, 2, "llasa", null, "4h", null, null)),
                new Case("--partition a b", () -> new SlurmJob("x", exp, out, 2, "llasa", "a b", null, null, null)),
                new Case("--gres gpu:1\n", () -> new SlurmJob("x", exp, out, 2, "llasa", null, null, null, "gpu:1\n")),
                new Case("--cpus-per-task 0", () -> new SlurmJob("x", exp, out, 2, "llasa", null, null, 0, null)),
                new Case("without spaces", () -> new SlurmJob("x", exp, dir.resolve("my results"), 2, "llasa", null, null,
                        null, null)))) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, c.make()::run, c.expected());
            assertTrue(ex.getMessage().contains(c.expected()), ex.getMessage());
        }
        for (String t : List.of("90", "30:00", "4:00:00", "1-12", "2-00:30", "1-00:00:00", "UNLIMITED")) {
            new SlurmJob("x", exp, out, 2, "llasa", null, t, null, null);
        }
    }

    /** With a stand-in sbatch: the array first, then the merge with afterany on the array's id. */
    @Test
    void submitSendsTheArrayThenTheMergeAfterIt() throws Exception {
        SlurmJob j = job(3);
        List<Path> scripts = j.write();
        assertTrue(Files.isExecutable(scripts.get(0)));
        Path calls = dir.resolve("calls.txt");
        Path sbatch = dir.resolve("sbatch");
        Files.writeString(sbatch, """
                #!/bin/sh
                echo "$@" >> %s
                n=$(wc -l < %s)
                echo "$((4100 + n));cluster"
                """.formatted(calls, calls));
        sbatch.toFile().setExecutable(true);
        SlurmJob.Submitted ids = j.submit(sbatch.toString());
        assertEquals(new SlurmJob.Submitted("4101", "4102"), ids);
        assertEquals(List.of("--parsable " + scripts.get(0), "--parsable --dependency=afterany:4101 " + scripts.get(1)),
                Files.readAllLines(calls));

        Path failing = dir.resolve("sbatch-fails");
        Files.writeString(failing, "#!/bin/sh\necho 'sbatch: error: invalid partition specified: gpu' >&2\nexit 1\n");
        failing.toFile().setExecutable(true);
        var ex = assertThrows(java.io.IOException.class, () -> j.submit(failing.toString()));
        assertTrue(ex.getMessage().contains("invalid partition specified"), ex.getMessage());
        var missing = assertThrows(java.io.IOException.class, () -> j.submit(dir.resolve("no-sbatch").toString()));
        assertTrue(missing.getMessage().contains("Slurm login node"), missing.getMessage());
    }
}
