package org.llasalab.eval.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Slurm cluster for the integration tests: the one {@code .ci/run} started (its {@code SLURM_CONF} in the
 * environment), else a one-node cluster of our own started with {@code .ci/slurm-up} on free ports and stopped by
 * {@link #close()}. Without Slurm installed the tests are skipped, unless {@code LLASA_REQUIRE_SLURM=1} (CI after
 * installing it), where they fail.
 */
final class LocalSlurm implements AutoCloseable {
    private final Path conf;
    private final Path startedIn; // null: a cluster someone else started
    private final Path home = Path.of(System.getProperty("llasa.home"));

    private LocalSlurm(Path conf, Path startedIn) {
        this.conf = conf;
        this.startedIn = startedIn;
    }

    static LocalSlurm connect(Path dir) throws Exception {
        boolean required = "1".equals(System.getenv("LLASA_REQUIRE_SLURM"));
        String given = System.getenv("SLURM_CONF");
        if (given != null && Files.isRegularFile(Path.of(given))) {
            LocalSlurm s = new LocalSlurm(Path.of(given), null);
            if (s.exec(30, "sinfo", "-h").code == 0) return s;
            Assertions.fail("SLURM_CONF=" + given + " is set but sinfo does not answer");
        }
        if (find("slurmctld") == null || find("slurmd") == null || find("munged") == null || find("sbatch") == null) {
            String why = "Slurm is not installed (apt-get install slurmctld slurmd slurm-client munge); "
                    + "skipping the Slurm integration tests (.ci/run installs it)";
            if (required) Assertions.fail(why.replace("skipping", "LLASA_REQUIRE_SLURM=1, so not skipping"));
            Assumptions.abort(why);
        }
        Path slurmUp = Path.of(System.getProperty("llasa.home"), ".ci", "slurm-up");
        ProcessBuilder pb = new ProcessBuilder(slurmUp.toString(), dir.toString());
        pb.environment().put("LLASA_SLURM_PORT", String.valueOf(freePortPair()));
        pb.environment().put("PATH", pb.environment().getOrDefault("PATH", "") + ":/usr/sbin:/sbin");
        Result r = run(pb, 120);
        Assertions.assertEquals(0, r.code, ".ci/slurm-up failed: " + r.out);
        return new LocalSlurm(dir.resolve("slurm.conf"), dir);
    }

    /** A script that runs sbatch against this cluster (for {@code llasa slurm --sbatch}). */
    Path sbatchScript(Path dir) throws IOException {
        Path f = dir.resolve("sbatch-here");
        Files.writeString(f, "#!/bin/sh\nSLURM_CONF='" + conf + "' exec sbatch \"$@\"\n");
        f.toFile().setExecutable(true);
        return f;
    }

    /** A Slurm client command against this cluster; fails the test when it fails. */
    String slurm(String... command) throws Exception {
        Result r = exec(60, command);
        Assertions.assertEquals(0, r.code, String.join(" ", command) + ": " + r.out);
        return r.out;
    }

    /** The JobState of a job or array task ({@code 123_0}), e.g. RUNNING, COMPLETED, CANCELLED. */
    String state(String job) throws Exception {
        Result r = exec(60, "scontrol", "-o", "show", "job", job);
        for (String field : r.out.split("\\s+")) {
            if (field.startsWith("JobState=")) return field.substring("JobState=".length());
        }
        return "UNKNOWN (" + r.out.strip() + ")";
    }

    /** A field of {@code scontrol show job} ({@code Restarts}, {@code ExitCode}, ...). */
    String field(String job, String name) throws Exception {
        for (String field : exec(60, "scontrol", "-o", "show", "job", job).out.split("\\s+")) {
            if (field.startsWith(name + "=")) return field.substring(name.length() + 1);
        }
        return null;
    }

    /** Waits until none of {@code jobs} (job ids, arrays included) is pending or running. */
    void awaitGone(Collection<String> jobs, long seconds, Path logs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String queue = exec(60, "squeue", "-h", "-o", "%i %T", "-j", String.join(",", jobs)).out.strip();
            if (queue.isEmpty()) return;
            if (System.nanoTime() > deadline) {
                Assertions.fail("jobs still queued after " + seconds + " s:\n" + queue + "\n" + logs(logs));
            }
            Thread.sleep(500);
        }
    }

    /** The logs in {@code dir} and of the daemons, for failure messages. */
    String logs(Path dir) {
        StringBuilder b = new StringBuilder();
        List<Path> files = new ArrayList<>();
        try (var list = Files.list(dir)) {
            list.filter(p -> p.toString().endsWith(".log")).sorted().forEach(files::add);
        } catch (IOException ignored) {
            // no logs yet
        }
        if (startedIn != null) files.addAll(List.of(startedIn.resolve("slurmctld.log"), startedIn.resolve("slurmd.log")));
        for (Path f : files) {
            try {
                List<String> lines = Files.readAllLines(f);
                b.append("==> ").append(f).append(" <==\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()))).append('\n');
            } catch (IOException ignored) {
                // unreadable: left out
            }
        }
        return b.toString();
    }

    @Override
    public void close() throws Exception {
        if (startedIn == null) return;
        run(new ProcessBuilder(home.resolve(".ci").resolve("slurm-down").toString(), startedIn.toString()), 120);
    }

    record Result(int code, String out) {}

    private Result exec(int seconds, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("SLURM_CONF", conf.toString());
        return run(pb, seconds);
    }

    private static Result run(ProcessBuilder pb, int seconds) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        p.getOutputStream().close();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException ex) {
                return ex.toString();
            }
        });
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(124, String.join(" ", pb.command()) + ": no answer in " + seconds + " s");
        }
        return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS));
    }

    private static Path find(String command) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, command);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** A port P such that P and P + 1 are free (slurmctld and slurmd). */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p;
            try (ServerSocket s = new ServerSocket(0)) {
                p = s.getLocalPort();
            }
            if (p >= 65535) continue;
            try (ServerSocket a = new ServerSocket(p); ServerSocket b = new ServerSocket(p + 1)) {
                return p;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no two free consecutive ports for slurmctld and slurmd");
    }
}
