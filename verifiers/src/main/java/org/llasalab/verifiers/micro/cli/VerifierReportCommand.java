package org.llasalab.verifiers.micro.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.microworld.Catalogue;
import org.llasalab.microworld.CorpusManifest;
import org.llasalab.verifiers.AudioEmbedder;
import org.llasalab.verifiers.micro.MicroAsr;
import org.llasalab.verifiers.micro.MicroEmotionModel;
import org.llasalab.verifiers.micro.MicroMetrics;
import org.llasalab.verifiers.micro.MicroSpeakerEmbedder;
import org.llasalab.verifiers.wer.ErrorRate;
import org.llasalab.verifiers.wer.SeedTtsNormalizer;
import org.llasalab.verifiers.wer.TextNormalizer;
import org.llasalab.verifiers.wer.WerAggregate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llasa microworld verifier-report}: measures the shipped micro verifiers on held-out (test split)
 * micro-world audio: micro-asr WER/CER on original and codec-resynthesised audio, micro-speaker EER,
 * micro-emotion accuracy, and scoring speed (64 candidates of 3 s) against the 2 s limit.
 */
@Command(name = "verifier-report", mixinStandardHelpOptions = true,
        description = "Measure micro-asr WER/CER, micro-speaker EER, micro-emotion accuracy and scoring speed on held-out micro-world audio.")
public final class VerifierReportCommand implements Callable<Integer>, CliCommand {
    @Option(names = "--corpus", required = true, description = "micro-world corpus folder (with manifest.jsonl)")
    Path corpus;

    @Option(names = "--n", defaultValue = "200", description = "test utterances to use (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--codec", defaultValue = "micro", description = "codec for the resynthesised figures (default ${DEFAULT-VALUE})")
    String codecName;

    @Option(names = "--seed", defaultValue = "1", description = "sampling seed")
    long seed;

    @Option(names = "--asr", defaultValue = "micro-asr", description = "micro-asr folder or catalogue name (default ${DEFAULT-VALUE})")
    String asrModel;

    @Option(names = "--speaker", defaultValue = "micro-speaker", description = "micro-speaker folder or catalogue name (default ${DEFAULT-VALUE})")
    String speakerModel;

    @Option(names = "--emotion", defaultValue = "micro-emotion", description = "micro-emotion folder or catalogue name (default ${DEFAULT-VALUE})")
    String emotionModel;

    @Override
    public String group() { return "microworld"; }

    @Override
    public Integer call() throws Exception {
        if (n < 2) throw new IllegalArgumentException("--n must be at least 2, got " + n);
        CorpusManifest manifest = CorpusManifest.read(corpus);
        List<CorpusManifest.Entry> test = new ArrayList<>(manifest.split("test"));
        if (test.isEmpty()) throw new IllegalArgumentException(corpus + ": no test-split utterances");
        Collections.shuffle(test, new Random(seed));
        test = test.subList(0, Math.min(n, test.size()));
        List<float[]> audio = new ArrayList<>();
        for (CorpusManifest.Entry e : test) {
            var a = manifest.audio(e);
            if (a.sampleRate() != 16000) throw new IllegalArgumentException(manifest.wav(e) + ": sample rate " + a.sampleRate() + ", expected 16000");
            audio.add(a.samples());
        }
        System.out.printf("micro verifiers on %d test utterances of %s (models: %s, %s, %s)%n", test.size(), corpus,
                asrModel, speakerModel, emotionModel);

        MicroAsr asr = MicroAsr.load(Catalogue.resolve(asrModel));
        TextNormalizer norm = new SeedTtsNormalizer();
        report("original", asr, test, audio, norm);
        List<float[]> resynth = new ArrayList<>();
        try {
            SpeechCodec codec = Codecs.open(codecName, Catalogue::lookup);
            for (float[] a : audio) resynth.add(codec.decode(codec.encode(a)));
            report("codec-resynthesised (" + codecName + ")", asr, test, resynth, norm);
        } catch (Exception e) {
            System.out.printf("micro-asr on codec-resynthesised audio: not measured (%s)%n", e.getMessage());
            resynth.clear();
        }

        MicroSpeakerEmbedder speaker = MicroSpeakerEmbedder.load(Catalogue.resolve(speakerModel));
        MicroEmotionModel emotion = MicroEmotionModel.load(Catalogue.resolve(emotionModel));
        speakerAndStyle("original", speaker, emotion, test, audio);
        if (!resynth.isEmpty()) speakerAndStyle("codec-resynthesised (" + codecName + ")", speaker, emotion, test, resynth);

        // Speed: 64 candidates of 3 s each (test audio cut or repeated to 3 s).
        List<float[]> batch = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            float[] src = audio.get(i % audio.size());
            float[] c = new float[48_000];
            for (int k = 0; k < c.length; k++) c[k] = src[k % src.length];
            batch.add(c);
        }
        // The first pass runs while the JIT compiles the kernels (cold); a search scores batch after batch (warm).
        // Every pass gets its own copies: the front end remembers the log-mel of arrays it has seen.
        List<List<float[]>> passes = new ArrayList<>();
        for (int p = 0; p < 6; p++) passes.add(batch.stream().map(float[]::clone).toList());
        double asrCold = time(() -> asr.transcribe(passes.get(0)));
        double asrSeconds = time(() -> asr.transcribe(passes.get(1)));
        time(() -> passes.get(2).parallelStream().map(speaker::embed).toList());
        double spkSeconds = time(() -> passes.get(3).parallelStream().map(speaker::embed).toList());
        time(() -> passes.get(4).parallelStream().map(emotion::probabilities).toList());
        double emoSeconds = time(() -> passes.get(5).parallelStream().map(emotion::probabilities).toList());
        System.out.printf("speed, 64 candidates x 3 s, %d cores, load average %.1f: micro-asr %.2f s = %.2f x the 2 s limit"
                        + " (cold first batch %.2f s), micro-speaker %.2f s, micro-emotion %.2f s%n",
                Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                asrSeconds, asrSeconds / 2.0, asrCold, spkSeconds, emoSeconds);
        return 0;
    }

    private static void speakerAndStyle(String what, MicroSpeakerEmbedder speaker, MicroEmotionModel emotion,
            List<CorpusManifest.Entry> test, List<float[]> audio) {
        List<float[]> emb = audio.parallelStream().map(speaker::embed).toList();
        List<MicroMetrics.Trial> trials = new ArrayList<>();
        int crossStyle = 0;
        for (int i = 0; i < emb.size(); i++) {
            for (int j = i + 1; j < emb.size(); j++) {
                boolean same = test.get(i).speaker().equals(test.get(j).speaker());
                if (same && !test.get(i).style().equals(test.get(j).style())) crossStyle++;
                trials.add(new MicroMetrics.Trial(AudioEmbedder.cosine(emb.get(i), emb.get(j)), same));
            }
        }
        long targets = trials.stream().filter(MicroMetrics.Trial::target).count();
        System.out.printf("micro-speaker on %s audio: EER %.2f%% (%d trials: %d same-speaker, %d of them across styles; %d different-speaker)%n",
                what, 100 * MicroMetrics.equalErrorRate(trials), trials.size(), targets, crossStyle, trials.size() - targets);
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            double[] p = emotion.probabilities(audio.get(i));
            int best = 0;
            for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
            if (emotion.labels().get(best).equals(test.get(i).style())) correct++;
        }
        System.out.printf("micro-emotion on %s audio: accuracy %.2f%% (%d/%d)%n", what, 100.0 * correct / test.size(), correct, test.size());
    }

    private static void report(String what, MicroAsr asr, List<CorpusManifest.Entry> test, List<float[]> audio, TextNormalizer norm) {
        List<String> hyp = asr.transcribe(audio);
        WerAggregate wer = new WerAggregate(), cer = new WerAggregate();
        for (int i = 0; i < test.size(); i++) {
            String ref = norm.normalize(test.get(i).text()), h = norm.normalize(hyp.get(i));
            wer.add(ErrorRate.wer(ref, h));
            cer.add(ErrorRate.cer(ref, h));
        }
        System.out.printf("micro-asr on %s audio: WER %.2f%% CER %.2f%% (%d words: %d sub, %d del, %d ins)%n", what,
                100 * wer.corpusRate(), 100 * cer.corpusRate(), wer.referenceLength(), wer.substitutions(), wer.deletions(), wer.insertions());
    }

    private static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }
}
