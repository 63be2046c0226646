package org.llasalab.cli.microworld;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.llasalab.cli.CliCommand;
import org.llasalab.codec.micro.Codebook;
import org.llasalab.codec.micro.KMeans;
import org.llasalab.codec.micro.MicroCodec;
import org.llasalab.codec.micro.MicroCodecConfig;
import org.llasalab.dsp.Resampler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.llasalab.microworld.CorpusManifest;

/** {@code llasa microworld train-codec}: k-means on the corpus's log-mel frames. */
@Command(name = "train-codec", mixinStandardHelpOptions = true,
        description = "Train the micro codec: k-means (k-means++ seeding, Lloyd iterations) on log-mel frames of the corpus's train split.")
public final class TrainCodecCommand implements CliCommand, Callable<Integer> {
    @Option(names = "--corpus", required = true, description = "Corpus folder (manifest.jsonl).")
    Path corpus;

    @Option(names = "--out", required = true, description = "Output codec folder.")
    Path out;

    @Option(names = "--k", defaultValue = "1024", description = "Codebook size K (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--frames-per-code", defaultValue = "1", description = "Log-mel frames (50/s) per code (default ${DEFAULT-VALUE}).")
    int framesPerCode;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--utterances", defaultValue = "4000", description = "Training utterances sampled (default ${DEFAULT-VALUE}).")
    int utterances;

    @Option(names = "--iterations", defaultValue = "20", description = "Lloyd iterations (default ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public String group() {
        return "microworld";
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        CorpusManifest manifest = CorpusManifest.read(corpus);
        List<CorpusManifest.Entry> train = new ArrayList<>(manifest.split("train"));
        Collections.shuffle(train, new Random(seed));
        List<CorpusManifest.Entry> chosen = train.subList(0, Math.min(utterances, train.size()));
        MicroCodecConfig config = MicroCodecConfig.defaults(framesPerCode, k);
        MicroCodec front = new MicroCodec(config, new Codebook(new float[k][config.codeDim()]));
        float[][][] perUtt = new float[chosen.size()][][];
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        IntStream.range(0, chosen.size()).parallel().forEach(i -> {
            try {
                var audio = Resampler.resample(manifest.audio(chosen.get(i)), config.sampleRate());
                perUtt[i] = front.stack(front.logMel(audio.samples()));
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        });
        if (failure.get() != null) throw failure.get();
        List<float[]> vectors = new ArrayList<>();
        double seconds = 0;
        for (int i = 0; i < perUtt.length; i++) {
            Collections.addAll(vectors, perUtt[i]);
            seconds += chosen.get(i).duration();
        }
        float[][] data = vectors.toArray(new float[0][]);
        System.out.printf("features: %d vectors of %d dims from %d utterances (%.2f h) in %.0f s%n", data.length,
                config.codeDim(), chosen.size(), seconds / 3600, (System.nanoTime() - t0) / 1e9);
        KMeans.Result result = KMeans.fit(data, k, iterations, seed, 50_000, System.out::println);
        MicroCodec codec = new MicroCodec(config, result.codebook());
        codec.save(out, Map.of("trained_on", corpus.toAbsolutePath().toString(),
                "utterances", Integer.toString(chosen.size()), "vectors", Integer.toString(data.length),
                "seed", Long.toString(seed), "iterations", Integer.toString(iterations),
                "final_mse_per_dim", String.format("%.5f", result.mse()[result.mse().length - 1])));
        System.out.printf("wrote %s (K %d, %.0f codes/s) in %.0f s%n", out, k, codec.frameRate(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
