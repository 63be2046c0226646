package org.llasalab.cli.microworld;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.codec.micro.MicroCodec;
import org.llasalab.dsp.LogMel;
import org.llasalab.dsp.Resampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.llasalab.microworld.Catalogue;
import org.llasalab.microworld.CorpusManifest;

/** {@code llasa microworld codec-report}: a codec's round trip on held-out corpus utterances. */
@Command(name = "codec-report", mixinStandardHelpOptions = true,
        description = "Measure a codec on held-out (test split) corpus utterances: log-mel RMSE of the round trip, "
                + "code usage and entropy, encode and decode speed as multiples of real time (same run).")
public final class CodecReportCommand implements CliCommand, Callable<Integer> {
    @Option(names = "--codec", defaultValue = "micro", description = "Codec short name or folder (default ${DEFAULT-VALUE}).")
    String codec;

    @Option(names = "--corpus", defaultValue = "/work/data/microworld/corpus", description = "Corpus folder (default ${DEFAULT-VALUE}).")
    Path corpus;

    @Option(names = "--n", defaultValue = "200", description = "Held-out utterances (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public String group() {
        return "microworld";
    }

    /** The report's numbers. */
    public record Report(int utterances, double seconds, double quantisationRmse, double roundTripRmse, int codesUsed,
            int codebookSize, double entropyBits, double encodeRealTime, double decodeRealTime, double encodePerCpuSecond,
            double decodePerCpuSecond) {}

    /** CPU time of this process in nanoseconds (all threads), or -1 when the JVM cannot tell. */
    static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    @Override
    public Integer call() throws Exception {
        CorpusManifest manifest = CorpusManifest.read(corpus);
        List<CorpusManifest.Entry> held = new ArrayList<>(manifest.split("test"));
        Collections.shuffle(held, new Random(seed));
        held = held.subList(0, Math.min(n, held.size()));
        try (SpeechCodec c = Codecs.open(Catalogue.resolve(codec))) {
            float[][] audio = new float[held.size()][];
            for (int i = 0; i < audio.length; i++) {
                audio[i] = Resampler.resample(manifest.audio(held.get(i)), c.sampleRate()).samples();
            }
            Report r = measure(c, audio);
            System.out.printf("codec %s: K %d, %.1f codes/s; %d held-out utterances (%.1f s of audio, test split of %s)%n",
                    c.name(), c.codebookSize(), c.frameRate(), r.utterances(), r.seconds(), corpus);
            if (!Double.isNaN(r.quantisationRmse())) {
                System.out.printf("log-mel RMSE, quantisation (codes' log-mel vs original): %.4f nats per bin%n", r.quantisationRmse());
            }
            System.out.printf("log-mel RMSE, round trip (log-mel of decoded audio vs original): %.4f nats per bin%n", r.roundTripRmse());
            System.out.printf("code usage: %d of %d codes (%.1f%%), entropy %.2f bits of %.2f%n", r.codesUsed(), r.codebookSize(),
                    100.0 * r.codesUsed() / r.codebookSize(), r.entropyBits(), Math.log(r.codebookSize()) / Math.log(2));
            System.out.printf("speed (wall clock, %d threads on a shared machine): encode %.0fx real time, decode %.0fx real time%n",
                    Runtime.getRuntime().availableProcessors(), r.encodeRealTime(), r.decodeRealTime());
            System.out.printf("speed per CPU-second of this process (independent of other load): encode %.0fx, decode %.0fx "
                    + "(audio seconds per CPU second)%n", r.encodePerCpuSecond(), r.decodePerCpuSecond());
        }
        return 0;
    }

    /** Encodes and decodes {@code audio} (at the codec's rate) in batches, timing each direction. */
    public static Report measure(SpeechCodec c, float[][] audio) {
        double seconds = 0;
        for (float[] a : audio) seconds += a.length / (double) c.sampleRate();
        c.decode(c.encode(new float[][] {audio[0]}));   // warm up the JIT on one utterance
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        int[][] codes = c.encode(audio);
        long t1 = System.nanoTime();
        long c1 = processCpuNanos();
        float[][] decoded = c.decode(codes);
        long t2 = System.nanoTime();
        long c2 = processCpuNanos();
        LogMel front = new LogMel(c.sampleRate(), 1024, 320, 80, false, 1e-5f);
        double sq = 0;
        long count = 0;
        double qsq = 0;
        long qcount = 0;
        long[] hist = new long[c.codebookSize()];
        for (int i = 0; i < audio.length; i++) {
            for (int code : codes[i]) hist[code]++;
            float[][] ref = front.compute(audio[i]);
            float[][] got = front.compute(decoded[i]);
            int frames = Math.min(ref.length, got.length);
            for (int t = 0; t < frames; t++) {
                for (int m = 0; m < ref[t].length; m++) {
                    double d = ref[t][m] - got[t][m];
                    sq += d * d;
                    count++;
                }
            }
            if (c instanceof MicroCodec micro) {
                float[][] frames2 = micro.logMel(audio[i]);
                float[][] q = micro.codeFrames(codes[i]);
                for (int t = 0; t < frames2.length; t++) {
                    for (int m = 0; m < frames2[t].length; m++) {
                        double d = frames2[t][m] - q[t][m];
                        qsq += d * d;
                        qcount++;
                    }
                }
            }
        }
        long total = 0;
        int used = 0;
        for (long h : hist) total += h;
        double entropy = 0;
        for (long h : hist) {
            if (h == 0) continue;
            used++;
            double p = h / (double) total;
            entropy -= p * Math.log(p) / Math.log(2);
        }
        return new Report(audio.length, seconds, qcount == 0 ? Double.NaN : Math.sqrt(qsq / qcount), Math.sqrt(sq / count),
                used, c.codebookSize(), entropy, seconds / ((t1 - t0) / 1e9), seconds / ((t2 - t1) / 1e9),
                c0 < 0 ? Double.NaN : seconds / ((c1 - c0) / 1e9), c0 < 0 ? Double.NaN : seconds / ((c2 - c1) / 1e9));
    }
}
