package org.llasalab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.codec.xcodec2.RandomDecoder;
import org.llasalab.codec.xcodec2.XCodec2Codec;
import org.llasalab.codec.xcodec2.XCodec2Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llasa bench codec}: the real-time factor of decoding on this machine. */
@Command(name = "codec", mixinStandardHelpOptions = true,
        description = "Real-time factor of codec decoding (audio seconds per wall second; > 1 is faster than real time).")
public final class BenchCodecCommand implements CliCommand, Callable<Integer> {
    @Option(names = "--shape", description = "Random-weight decoder of this shape: xcodec2 (the released decoder: "
            + "hidden 1024, 12 layers, 16 heads). Ignored with --codec.", defaultValue = "xcodec2")
    String shape;

    @Option(names = "--codec", description = "Benchmark this codec folder (or short name) instead of random weights.")
    String codecDir;

    @Option(names = "--seconds", description = "Audio seconds per decode (default ${DEFAULT-VALUE}).", defaultValue = "10")
    double seconds;

    @Option(names = "--repeat", description = "Timed decodes after one warm-up (default ${DEFAULT-VALUE}).", defaultValue = "3")
    int repeat;

    @Option(names = "--seed", description = "Seed of the random weights and codes.", defaultValue = "1")
    long seed;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    @Override
    public String group() {
        return "bench";
    }

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0)) throw new IllegalArgumentException("--seconds must be positive: " + seconds);
        if (repeat < 1) throw new IllegalArgumentException("--repeat must be >= 1: " + repeat);
        long t0 = System.nanoTime();
        SpeechCodec codec;
        String what;
        if (codecDir != null) {
            codec = Codecs.open(codecDir);
            what = codecDir;
        } else if (shape.equals("xcodec2")) {
            codec = new XCodec2Codec(RandomDecoder.build(XCodec2Config.released(), seed));
            what = "xcodec2 shape, random weights";
        } else {
            throw new IllegalArgumentException("unknown --shape '" + shape + "' (known: xcodec2)");
        }
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        try (codec) {
            int frames = Math.max(1, (int) Math.round(seconds * codec.frameRate()));
            SplittableRandom rnd = new SplittableRandom(seed);
            int[] codes = new int[frames];
            for (int i = 0; i < frames; i++) codes[i] = rnd.nextInt(codec.codebookSize());
            codec.decode(codes); // warm-up (JIT)
            double[] wall = new double[repeat];
            int samples = 0;
            long cpu0 = processCpuNanos();
            for (int r = 0; r < repeat; r++) {
                long s = System.nanoTime();
                samples = codec.decode(codes).length;
                wall[r] = (System.nanoTime() - s) / 1e9;
            }
            double cpuPerRun = cpu0 < 0 ? Double.NaN : (processCpuNanos() - cpu0) / 1e9 / repeat;
            double audioSeconds = samples / (double) codec.sampleRate();
            double[] sorted = wall.clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2];
            double rtf = audioSeconds / median;
            int threads = Runtime.getRuntime().availableProcessors();
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("codec", codec.name());
                o.put("source", what);
                if (codec instanceof XCodec2Codec x) {
                    o.put("parameters", x.decoder().weights().parameterCount());
                    o.put("hidden_size", x.decoder().config().hiddenSize());
                    o.put("layers", x.decoder().config().numLayers());
                }
                o.put("audio_seconds", audioSeconds);
                o.put("frames", frames);
                var arr = o.putArray("wall_seconds");
                for (double w : wall) arr.add(w);
                o.put("median_wall_seconds", median);
                o.put("real_time_factor", rtf);
                                o.put("cpus", Runtime.getRuntime().availableProcessors());
                o.put("load_seconds", loadSeconds);
                o.put("process_cpu_seconds_per_decode", cpuPerRun);
                System.out.println(o);
            } else {
                String params = codec instanceof XCodec2Codec x
                        ? String.format(", %.1fM parameters", x.decoder().weights().parameterCount() / 1e6) : "";
                System.out.printf("codec %s (%s%s), loaded in %.1f s%n", codec.name(), what, params, loadSeconds);
                System.out.printf("decoded %.2f s of audio (%d frames) %d times: median %.3f s wall (runs %s)%n",
                        audioSeconds, frames, repeat, median, Arrays.toString(Arrays.stream(wall)
                                .mapToObj(w -> String.format("%.3f", w)).toArray()));
                System.out.printf("real-time factor %.2f (audio seconds per wall second, %d CPUs)%n",
                        rtf, threads);
                System.out.printf("process CPU time %.3f s per decode (CPU share %.2f of %d CPUs: below %d means the machine "
                        + "was shared)%n", cpuPerRun, cpuPerRun / median, threads, threads);
            }
        }
        return 0;
    }
}
