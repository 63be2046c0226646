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
import org.llasalab.microworld.Catalogue;
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
            codec = Codecs.open(codecDir, Catalogue::lookup);
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
            Timed t = time(() -> codec.decode(codes).length);
            double audioSeconds = t.lastResult() / (double) codec.sampleRate();
            long parameters = codec instanceof XCodec2Codec x ? x.decoder().weights().parameterCount() : -1;
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("codec", codec.name());
                o.put("source", what);
                if (codec instanceof XCodec2Codec x) {
                    o.put("parameters", parameters);
                    o.put("hidden_size", x.decoder().config().hiddenSize());
                    o.put("layers", x.decoder().config().numLayers());
                }
                o.put("frames", frames);
                report(o, t, audioSeconds, loadSeconds, "decode");
            } else {
                String params = parameters >= 0 ? String.format(", %.1fM parameters", parameters / 1e6) : "";
                System.out.printf("codec %s (%s%s), loaded in %.1f s; CPU %s%n", codec.name(), what, params, loadSeconds,
                        cpuName());
                System.out.printf("decoded %.2f s of audio (%d frames)", audioSeconds, frames);
                report(null, t, audioSeconds, loadSeconds, "decode");
            }
        }
        return 0;
    }

    /** Wall seconds of the timed runs, their median, process CPU seconds per run and the last run's result. */
    private record Timed(double[] wall, double median, double cpuPerRun, int lastResult) {}

    /** One warm-up run (JIT), then {@link #repeat} timed runs of {@code run}. */
    private Timed time(java.util.function.IntSupplier run) {
        run.getAsInt();
        double[] wall = new double[repeat];
        int last = 0;
        long cpu0 = processCpuNanos();
        for (int r = 0; r < repeat; r++) {
            long s = System.nanoTime();
            last = run.getAsInt();
            wall[r] = (System.nanoTime() - s) / 1e9;
        }
        double cpuPerRun = cpu0 < 0 ? Double.NaN : (processCpuNanos() - cpu0) / 1e9 / repeat;
        double[] sorted = wall.clone();
        Arrays.sort(sorted);
        return new Timed(wall, sorted[sorted.length / 2], cpuPerRun, last);
    }

    /**
     * The timing: into {@code o} (then printed as one JSON line) or, when {@code o} is null, as text continuing a line
     * that said what was run. The real-time factor is audio seconds per median wall second; the CPU share (process CPU
     * seconds per wall second) below the CPU count says the machine was shared during the runs.
     */
    private void report(ObjectNode o, Timed t, double audioSeconds, double loadSeconds, String task) {
        double rtf = audioSeconds / t.median();
        int cpus = Runtime.getRuntime().availableProcessors();
        if (o != null) {
            o.put("audio_seconds", audioSeconds);
            var arr = o.putArray("wall_seconds");
            for (double w : t.wall()) arr.add(w);
            o.put("median_wall_seconds", t.median());
            o.put("real_time_factor", rtf);
            o.put("cpus", cpus);
            o.put("cpu", cpuName());
            o.put("load_seconds", loadSeconds);
            o.put("process_cpu_seconds_per_" + task, t.cpuPerRun());
            System.out.println(o);
            return;
        }
        System.out.printf(" %d times: median %.3f s wall (runs %s)%n", repeat, t.median(),
                Arrays.toString(Arrays.stream(t.wall()).mapToObj(w -> String.format("%.3f", w)).toArray()));
        System.out.printf("real-time factor %.2f (audio seconds per wall second, %d CPUs; > 1 is faster than real time)%n",
                rtf, cpus);
        System.out.printf("process CPU time %.3f s per %s (CPU share %.2f of %d CPUs: below %d means the machine was "
                + "shared)%n", t.cpuPerRun(), task, t.cpuPerRun() / t.median(), cpus, cpus);
    }

    private Integer benchEncode() throws Exception {
        long t0 = System.nanoTime();
        SpeechCodec codec = null;
        XCodec2Encoder encoder = null;
        String what;
        long parameters;
        int sampleRate;
        if (codecDir != null) {
            codec = Codecs.open(codecDir, Catalogue::lookup);
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
            // speech-like test signal: a gliding tone with a harmonic and a little noise
            int n = (int) Math.round(seconds * sampleRate);
            float[] audio = new float[n];
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int i = 0; i < n; i++) {
                double t = i / (double) sampleRate;
                double f0 = 120 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
                audio[i] = (float) (0.3 * Math.sin(2 * Math.PI * f0 * t) + 0.1 * Math.sin(4 * Math.PI * f0 * t)
                        + 0.01 * (rnd.nextDouble() * 2 - 1));
            }
            XCodec2Encoder.Timing[] stages = new XCodec2Encoder.Timing[1];
            Timed t = time(() -> {
                if (c != null) return c.encode(audio).length;
                XCodec2Encoder.Trace trace = e.trace(audio, false);
                stages[0] = trace.timing();
                return trace.codes().length;
            });
            double audioSeconds = n / (double) sampleRate;
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("task", "encode");
                o.put("source", what);
                o.put("parameters", parameters);
                o.put("codes", t.lastResult());
                report(o, t, audioSeconds, loadSeconds, "encode");
            } else {
                System.out.printf("encoder %s, %.1fM parameters, loaded in %.1f s; CPU %s%n", what, parameters / 1e6,
                        loadSeconds, cpuName());
                if (stages[0] != null) {
                    XCodec2Encoder.Timing tm = stages[0];
                    System.out.printf("last run: fbank %.3f s, semantic (w2v-BERT + adapter) %.3f s, acoustic %.3f s, "
                            + "fc_prior + FSQ %.3f s%n", tm.features(), tm.semantic(), tm.acoustic(), tm.quantizer());
                }
                System.out.printf("encoded %.2f s of audio (%d codes)", audioSeconds, t.lastResult());
                report(null, t, audioSeconds, loadSeconds, "encode");
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
