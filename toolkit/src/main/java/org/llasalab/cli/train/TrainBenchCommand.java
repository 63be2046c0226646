package org.llasalab.cli.train;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.llasalab.cli.CliCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.llasalab.train.TrainStepBenchmark;

/**
 * {@code llasa bench train}: training tokens/s of each ND4J native build on the same model, measured in the same
 * run (one child JVM per build and round, builds interleaved), reported as ratios to the generic build.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Training tokens/s per ND4J native build (generic, avx2, onednn-avx2), as ratios to generic.")
public final class TrainBenchCommand implements CliCommand, Callable<Integer> {
    @Option(names = "--steps", defaultValue = "8", description = "timed updates per measurement (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--rounds", defaultValue = "2", description = "interleaved rounds over the builds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--threads", defaultValue = "1", description = "OpenMP threads (default ${DEFAULT-VALUE})")
    int threads;

    @Override
    public String group() {
        return "bench";
    }

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || rounds < 1 || threads < 1) throw new IllegalArgumentException("--steps, --rounds and --threads must be >= 1");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).toList();
        Map<String, List<Double>> rates = new LinkedHashMap<>(), cpuRates = new LinkedHashMap<>();
        Pattern rate = Pattern.compile("tokens_per_s=([0-9.]+) .*tokens_per_cpu_s=([0-9.]+)");
        for (int r = 0; r < rounds; r++) {
            for (String build : List.of("generic", "avx2", "onednn-avx2")) {
                List<String> cmd = new ArrayList<>();
                cmd.add(java);
                cmd.addAll(jvmArgs);
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainStepBenchmark.class.getName(), build,
                        String.valueOf(steps), String.valueOf(threads)));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
                Process p = pb.start();
                String found = null, foundCpu = null;
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        Matcher m = rate.matcher(line);
                        if (m.find()) {
                            found = m.group(1);
                            foundCpu = m.group(2);
                        }
                    }
                }
                if (p.waitFor() != 0 || found == null) throw new IllegalStateException("benchmark of build " + build + " failed");
                rates.computeIfAbsent(build, b -> new ArrayList<>()).add(Double.parseDouble(found));
                cpuRates.computeIfAbsent(build, b -> new ArrayList<>()).add(Double.parseDouble(foundCpu));
                System.out.printf("round %d %-12s %8.1f tokens/s wall %8.1f tokens/CPU-s%n", r + 1, build,
                        Double.parseDouble(found), Double.parseDouble(foundCpu));
            }
        }
        double generic = best(rates.get("generic")), genericCpu = best(cpuRates.get("generic"));
        System.out.printf("model %,d parameters, batch %d x %d tokens, %d thread(s); best of %d rounds:%n",
                TrainStepBenchmark.SHAPE.parameterCount(), TrainStepBenchmark.BATCH, TrainStepBenchmark.LENGTH, threads, rounds);
        rates.forEach((b, v) -> System.out.printf("  %-12s %8.1f tokens/s (ratio to generic %.2f)  %8.1f tokens/CPU-s (ratio %.2f)%n",
                b, best(v), best(v) / generic, best(cpuRates.get(b)), best(cpuRates.get(b)) / genericCpu));
        return 0;
    }

    private static double best(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
