package org.llasalab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.codec.xcodec2.EncoderConfig;
import org.llasalab.codec.xcodec2.RandomDecoder;
import org.llasalab.codec.xcodec2.RandomEncoder;
import org.llasalab.codec.xcodec2.XCodec2Encoder;
import org.llasalab.codec.xcodec2.XCodec2Codec;
import org.llasalab.codec.xcodec2.XCodec2Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llasa bench codec}: the real-time factor of decoding (or, with {@code --encode}, encoding) on this machine. */
@Command(name = "codec", mixinStandardHelpOptions = true,
        description = "Real-time factor of codec decoding, or encoding with --encode (audio seconds per wall second; "
                + "> 1 is faster than real time).")
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

    @Option(names = "--encode", description = "Benchmark encoding (audio to codes) instead of decoding: with --shape "
            + "xcodec2 the released encoder (w2v-BERT 2.0, 16 of 24 layers, plus the acoustic conv encoder) with random "
            + "f32 weights.")
    boolean encode;

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
        if (encode) return benchEncode();
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

    /** One run's timing of {@code body}: wall seconds. */
    private interface Run {
        int run();
    }

    private Integer benchEncode() throws Exception {
        long t0 = System.nanoTime();
        SpeechCodec codec = null;
        XCodec2Encoder encoder = null;
        String what;
        long parameters;
        int sampleRate;
        if (codecDir != null) {
            codec = Codecs.open(codecDir);
            if (!codec.canEncode()) throw new IllegalArgumentException(codecDir + ": codec " + codec.name() + " cannot encode");
            what = codecDir;
            parameters = codec instanceof XCodec2Codec x && x.encoder() != null ? x.encoder().parameterCount() : -1;
            sampleRate = codec.sampleRate();
        } else if (shape.equals("xcodec2")) {
            encoder = RandomEncoder.build(EncoderConfig.released(), seed);
            what = "xcodec2 encoder shape, random f32 weights";
            parameters = encoder.parameterCount();
            sampleRate = encoder.config().sampleRate();
        } else {
            throw new IllegalArgumentException("unknown --shape '" + shape + "' (known: xcodec2)");
        }
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        SpeechCodec c = codec;
        XCodec2Encoder e = encoder;
        try {
            // speech-like test signal: a gliding tone with harmonics and a little noise
            int n = (int) Math.round(seconds * sampleRate);
            float[] audio = new float[n];
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int i = 0; i < n; i++) {
                double t = i / (double) sampleRate;
                double f0 = 120 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
                audio[i] = (float) (0.3 * Math.sin(2 * Math.PI * f0 * t) + 0.1 * Math.sin(4 * Math.PI * f0 * t)
                        + 0.01 * (rnd.nextDouble() * 2 - 1));
            }
            XCodec2Encoder.Timing[] last = new XCodec2Encoder.Timing[1];
            Run run = () -> {
                if (c != null) return c.encode(audio).length;
                XCodec2Encoder.Trace trace = e.trace(audio, false);
                last[0] = trace.timing();
                return trace.codes().length;
            };
            run.run(); // warm-up (JIT)
            double[] wall = new double[repeat];
            int frames = 0;
            long cpu0 = processCpuNanos();
            for (int r = 0; r < repeat; r++) {
                long s = System.nanoTime();
                frames = run.run();
                wall[r] = (System.nanoTime() - s) / 1e9;
            }
            double cpuPerRun = cpu0 < 0 ? Double.NaN : (processCpuNanos() - cpu0) / 1e9 / repeat;
            double audioSeconds = n / (double) sampleRate;
            double[] sorted = wall.clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2];
            double rtf = audioSeconds / median;
            int threads = Runtime.getRuntime().availableProcessors();
            String cpu = cpuName();
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("task", "encode");
                o.put("source", what);
                o.put("parameters", parameters);
                o.put("audio_seconds", audioSeconds);
                o.put("codes", frames);
                var arr = o.putArray("wall_seconds");
                for (double w : wall) arr.add(w);
                o.put("median_wall_seconds", median);
                o.put("real_time_factor", rtf);
                o.put("cpus", threads);
                o.put("cpu", cpu);
                o.put("load_seconds", loadSeconds);
                o.put("process_cpu_seconds_per_encode", cpuPerRun);
                System.out.println(o);
            } else {
                System.out.printf("encoder %s, %.1fM parameters, loaded in %.1f s; CPU %s%n", what, parameters / 1e6,
                        loadSeconds, cpu);
                System.out.printf("encoded %.2f s of audio (%d codes) %d times: median %.3f s wall (runs %s)%n",
                        audioSeconds, frames, repeat, median, Arrays.toString(Arrays.stream(wall)
                                .mapToObj(w -> String.format("%.3f", w)).toArray()));
                System.out.printf("real-time factor %.2f (audio seconds per wall second, %d CPUs; > 1 is faster than real "
                        + "time)%n", rtf, threads);
                if (last[0] != null) {
                    XCodec2Encoder.Timing tm = last[0];
                    System.out.printf("last run: fbank %.3f s, semantic (w2v-BERT + adapter) %.3f s, acoustic %.3f s, "
                            + "fc_prior + FSQ %.3f s%n", tm.features(), tm.semantic(), tm.acoustic(), tm.quantizer());
                }
                System.out.printf("process CPU time %.3f s per encode (CPU share %.2f of %d CPUs: below %d means the machine "
                        + "was shared)%n", cpuPerRun, cpuPerRun / median, threads, threads);
            }
        } finally {
            if (c != null) c.close();
            if (e != null) e.close();
        }
        return 0;
    }

    /** The CPU model from /proc/cpuinfo, or the OS architecture. */
    private static String cpuName() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
