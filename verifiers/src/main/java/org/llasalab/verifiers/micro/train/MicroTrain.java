package org.llasalab.verifiers.micro.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.llasalab.io.DType;
import org.llasalab.train.AdamW;
import org.llasalab.train.NativeBackend;
import org.llasalab.verifiers.micro.CtcAsrModel;
import org.llasalab.verifiers.micro.MicroFrontEnd;
import org.llasalab.verifiers.micro.MicroModels;
import org.llasalab.verifiers.micro.PhonemeSymbols;
import org.llasalab.verifiers.micro.XVectorModel;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a micro verifier with SameDiff on a {@link FeatureCache} for a wall-clock budget (the learning
 * rate follows warm-up then cosine decay over the budget), evaluating on the dev split and exporting the
 * best model (f16 weights) to the output folder:
 * <pre>
 *   MicroTrain speaker|emotion|asr FEATURE_CACHE OUT_DIR MINUTES [phonemes.txt]
 * </pre>
 */
public final class MicroTrain {
    public static final List<String> STYLES = List.of("neutral", "cheerful", "sad", "angry");

    private final FeatureCache cache;
    private final Path out;
    private final double budgetSeconds;
    private final PrintStream log;
    private final Random random = new Random(7);
    private final float[] mean, std;
    private final long start = System.nanoTime();

    private MicroTrain(FeatureCache cache, Path out, double minutes) throws IOException {
        this.cache = cache;
        this.out = out;
        this.budgetSeconds = minutes * 60;
        Files.createDirectories(out);
        this.log = new PrintStream(Files.newOutputStream(out.resolve("train.log"), StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
        float[][] stats = frameStats();
        this.mean = stats[0];
        this.std = stats[1];
    }

    public static void main(String[] args) throws Exception {
        NativeBackend.select("avx2", 1);
        FeatureCache cache = FeatureCache.read(Path.of(args[1]));
        MicroTrain t = new MicroTrain(cache, Path.of(args[2]), Double.parseDouble(args[3]));
        switch (args[0]) {
            case "speaker", "emotion" -> t.trainXVector(args[0]);
            case "asr" -> t.trainCtc(Path.of(args[4]));
            default -> throw new IllegalArgumentException("unknown task " + args[0]);
        }
    }

    private void say(String format, Object... args) {
        String line = String.format("[%6.1f min] ", elapsed() / 60) + String.format(format, args);
        log.println(line);
        System.out.println(line);
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    private double lr(double peak, double warmupSeconds) {
        double e = elapsed();
        double warm = Math.min(1, e / warmupSeconds);
        double progress = Math.min(1, e / budgetSeconds);
        return peak * warm * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    /** Per-bin mean and standard deviation of log-mel frames of (a sample of) the training split. */
    private float[][] frameStats() {
        double[] s = new double[MicroFrontEnd.MELS], sq = new double[MicroFrontEnd.MELS];
        long n = 0;
        List<FeatureCache.Utt> train = split("train");
        for (int i = 0; i < train.size(); i += 20) {
            for (float[] f : cache.frames(train.get(i))) {
                for (int m = 0; m < f.length; m++) { s[m] += f[m]; sq[m] += (double) f[m] * f[m]; }
                n++;
            }
        }
        float[] mean = new float[MicroFrontEnd.MELS], std = new float[MicroFrontEnd.MELS];
        for (int m = 0; m < mean.length; m++) {
            mean[m] = (float) (s[m] / n);
            std[m] = (float) Math.sqrt(Math.max(1e-6, sq[m] / n - mean[m] * (double) mean[m]));
        }
        return new float[][] {mean, std};
    }

    private List<FeatureCache.Utt> split(String name) {
        return cache.utts().stream().filter(u -> u.split().equals(name)).toList();
    }

    // ------------------------------------------------------------------ speaker / emotion

    private record Clip(FeatureCache cache, FeatureCache.Utt utt) {}

    private void trainXVector(String task) throws IOException {
        // Optional (-Dextra=DIR): a second cache, e.g. codec-resynthesised audio, oversampled -DextraRepeat times.
        List<FeatureCache> caches = new ArrayList<>(List.of(cache));
        if (System.getProperty("extra") != null) caches.add(FeatureCache.read(Path.of(System.getProperty("extra"))));
        List<Clip> train = new ArrayList<>();
        List<Clip> dev = new ArrayList<>();
        for (FeatureCache c : caches) {
            List<Clip> cacheDev = new ArrayList<>();
            int copies = c == cache ? 1 : Integer.getInteger("extraRepeat", 1);
            for (FeatureCache.Utt u : c.utts()) {
                if (u.split().equals("dev")) cacheDev.add(new Clip(c, u));
                if (u.split().equals("train")) for (int k = 0; k < copies; k++) train.add(new Clip(c, u));
            }
            Collections.shuffle(cacheDev, new Random(1));
            dev.addAll(cacheDev.subList(0, Math.min(400, cacheDev.size())));
        }
        List<String> labels = task.equals("speaker")
                ? new ArrayList<>(new TreeSet<>(split("train").stream().map(FeatureCache.Utt::speaker).toList())) : STYLES;
        XVectorModel.Config config = task.equals("speaker")
                ? new XVectorModel.Config(task, 128, 256, 128, labels)
                : new XVectorModel.Config(task, 96, 192, 64, labels);
        Map<String, float[]> init = System.getProperty("init") == null
                ? MicroGraphs.initialWeights(XVectorModel.parameterShapes(config), 11, 1.0)
                : org.llasalab.verifiers.micro.MicroWeights.read(Path.of(System.getProperty("init")), XVectorModel.parameterShapes(config));
        MicroGraphs.Graph g = MicroGraphs.xvector(config, init);
        AdamW adam = new AdamW(0.9, 0.98, 1e-8, 0.0, 5.0);
        int batch = 32, crop = 150;
        say("%s: %d labels, %d train clips, batch %d x %d frames, budget %.0f min", task, labels.size(), train.size(), batch, crop, budgetSeconds / 60);
        double best = -1, lossSum = 0;
        int step = 0, lossN = 0;
        while (elapsed() < budgetSeconds) {
            float[] x = new float[batch * crop * MicroFrontEnd.MELS];
            float[] y = new float[batch * labels.size()];
            for (int b = 0; b < batch; b++) {
                Clip clip = train.get(random.nextInt(train.size()));
                FeatureCache.Utt u = clip.utt();
                float[][] f = clip.cache().frames(u);
                int offset = f.length > crop ? random.nextInt(f.length - crop + 1) : 0;
                float gain = (float) (random.nextDouble() * 2 - 1); // a volume change of up to e^{+-1}
                for (int t = 0; t < crop; t++) {
                    float[] row = f[(offset + t) % f.length];
                    int base = (b * crop + t) * MicroFrontEnd.MELS;
                    for (int m = 0; m < MicroFrontEnd.MELS; m++) x[base + m] = (row[m] + gain - mean[m]) / std[m];
                }
                y[b * labels.size() + labels.indexOf(task.equals("speaker") ? u.speaker() : u.style())] = 1;
            }
            Map<String, INDArray> ph = Map.of(MicroGraphs.X, Nd4j.create(x, new long[] {batch, crop, MicroFrontEnd.MELS}, 'c'),
                    MicroGraphs.LABELS, Nd4j.create(y, new long[] {batch, labels.size()}, 'c'));
            OutAndGrad og = g.sd().calculateGradientsAndOutputs(ph, List.of(MicroGraphs.LOSS), g.parameters());
            lossSum += og.getOutputs().get(MicroGraphs.LOSS).getDouble(0);
            lossN++;
            double lr = lr(Double.parseDouble(System.getProperty("lr", "2e-3")), Double.parseDouble(System.getProperty("warmup", "60")));
            double norm = adam.update(g.parameterArrays(), og.getGradients(), lr);
            step++;
            boolean last = elapsed() >= budgetSeconds;
            if (step % 25 == 0 || last) {
                say("step %d loss %.4f lr %.2e gnorm %.2f", step, lossSum / lossN, lr, norm);
                lossSum = 0;
                lossN = 0;
            }
            if (step % 150 == 0 || last) {
                Map<String, float[]> w = MicroGraphs.weights(g, mean, std);
                XVectorModel model = new XVectorModel(config, w);
                int correct = 0;
                for (Clip clip : dev) {
                    FeatureCache.Utt u = clip.utt();
                    float[] logits = model.forward(clip.cache().frames(u)).logits();
                    int arg = 0;
                    for (int k = 1; k < logits.length; k++) if (logits[k] > logits[arg]) arg = k;
                    if (labels.get(arg).equals(task.equals("speaker") ? u.speaker() : u.style())) correct++;
                }
                double acc = correct / (double) dev.size();
                say("step %d dev accuracy %.4f (%d utterances)%s", step, acc, dev.size(), acc > best ? " best, exported" : "");
                if (acc > best) {
                    best = acc;
                    Map<String, Object> extra = new LinkedHashMap<>();
                    extra.put("training", Map.of("steps", step, "batch", batch, "crop_frames", crop, "dev_accuracy", acc,
                            "minutes", Math.round(elapsed() / 6) / 10.0));
                    MicroModels.saveXVector(out.resolve("model"), config, w, DType.F16, extra);
                }
            }
        }
        say("done: %d steps, best dev accuracy %.4f", step, best);
    }

    // ------------------------------------------------------------------ CTC recognizer

    private record Example(FeatureCache cache, FeatureCache.Utt utt, int[] labels) {}

    private void trainCtc(Path phonemeInventory) throws IOException {
        PhonemeSymbols symbols = PhonemeSymbols.fromInventory(Files.readAllLines(phonemeInventory));
        // Optional: a second cache (e.g. codec-resynthesised audio) whose utterances join training and dev.
        List<FeatureCache> caches = new ArrayList<>(List.of(cache));
        if (System.getProperty("asr.extra") != null) caches.add(FeatureCache.read(Path.of(System.getProperty("asr.extra"))));
        List<Example> train = new ArrayList<>();
        List<Example> dev = new ArrayList<>();
        int infeasible = 0;
        for (FeatureCache c : caches) {
            List<Example> cacheDev = new ArrayList<>();
            for (FeatureCache.Utt u : c.utts()) {
                int[] labels = symbols.encode(u.phonemes());
                if (u.split().equals("dev")) cacheDev.add(new Example(c, u, labels));
                if (!u.split().equals("train")) continue;
                int copies = c == cache ? 1 : Integer.getInteger("asr.extraRepeat", 1); // oversampling of the extra cache
                if (!Ctc.feasible((u.frames() + 1) / 2, labels)) infeasible++;
                else for (int k = 0; k < copies; k++) train.add(new Example(c, u, labels));
            }
            Collections.shuffle(cacheDev, new Random(1));
            dev.addAll(cacheDev.subList(0, Math.min(150, cacheDev.size())));
        }
        CtcAsrModel.Config config = new CtcAsrModel.Config(Integer.getInteger("asr.channels", 96), Integer.getInteger("asr.blocks", 4), 5, symbols.symbols());
        int batch = Integer.getInteger("asr.batch", 16);
        Map<String, float[]> init = System.getProperty("asr.init") == null
                ? MicroGraphs.initialWeights(CtcAsrModel.parameterShapes(config), 13, 0.5)
                : org.llasalab.verifiers.micro.MicroWeights.read(Path.of(System.getProperty("asr.init")), CtcAsrModel.parameterShapes(config));
        MicroGraphs.Graph g = MicroGraphs.ctc(config, init, batch);
        AdamW adam = new AdamW(0.9, 0.98, 1e-8, 0.0, 5.0);
        say("asr: %d symbols, %d train utterances (%d infeasible skipped), batch %d, %d channels x %d blocks, budget %.0f min",
                symbols.size(), train.size(), infeasible, batch, config.channels(), config.blocks(), budgetSeconds / 60);
        train.sort(Comparator.comparingInt(e -> e.utt().frames()));
        List<List<Example>> batches = new ArrayList<>();
        for (int i = 0; i + batch <= train.size(); i += batch) batches.add(train.subList(i, i + batch));
        double best = Double.MAX_VALUE, lossSum = 0;
        int step = 0, lossN = 0;
        outer:
        for (int epoch = 0; ; epoch++) {
            Collections.shuffle(batches, random);
            for (List<Example> b : batches) {
                if (elapsed() >= budgetSeconds) break outer;
                int maxT = b.stream().mapToInt(e -> e.utt().frames()).max().orElseThrow();
                float[] x = new float[batch * maxT * MicroFrontEnd.MELS];
                for (int i = 0; i < batch; i++) {
                    float[][] f = b.get(i).cache().frames(b.get(i).utt());
                    float gain = (float) (random.nextDouble() * 2 - 1);
                    for (int t = 0; t < f.length; t++) {
                        int base = (i * maxT + t) * MicroFrontEnd.MELS;
                        for (int m = 0; m < MicroFrontEnd.MELS; m++) x[base + m] = (f[t][m] + gain - mean[m]) / std[m];
                    }
                }
                INDArray xa = Nd4j.create(x, new long[] {batch, maxT, MicroFrontEnd.MELS}, 'c');
                INDArray logits = g.sd().output(Map.of(MicroGraphs.X, xa), MicroGraphs.LOGITS).get(MicroGraphs.LOGITS);
                int outT = (int) logits.size(1), v = symbols.size();
                float[] all = logits.dup('c').data().asFloat();
                float[] grad = new float[all.length];
                double loss = 0;
                for (int i = 0; i < batch; i++) {
                    float[][] z = new float[outT][v];
                    for (int t = 0; t < outT; t++) System.arraycopy(all, (i * outT + t) * v, z[t], 0, v);
                    int frames = (b.get(i).utt().frames() + 1) / 2;
                    Ctc.Result r = Ctc.lossAndGradient(z, frames, b.get(i).labels());
                    if (Double.isInfinite(r.loss())) continue;
                    loss += r.loss() / batch;
                    for (int t = 0; t < frames; t++) {
                        for (int k = 0; k < v; k++) grad[(i * outT + t) * v + k] = r.gradient()[t][k] / batch;
                    }
                }
                Map<String, INDArray> ph = Map.of(MicroGraphs.X, xa, MicroGraphs.LOGIT_GRAD, Nd4j.create(grad, new long[] {batch, outT, v}, 'c'));
                Map<String, INDArray> grads = g.sd().calculateGradients(ph, g.parameters());
                double lr = lr(Double.parseDouble(System.getProperty("asr.lr", "3e-3")), Double.parseDouble(System.getProperty("asr.warmup", "120")));
                double norm = adam.update(g.parameterArrays(), grads, lr);
                lossSum += loss;
                lossN++;
                step++;
                if (step % 25 == 0) {
                    say("epoch %d step %d ctc loss %.4f lr %.2e gnorm %.2f", epoch, step, lossSum / lossN, lr, norm);
                    lossSum = 0;
                    lossN = 0;
                }
                if (step % 250 == 0) best = evalCtc(config, g, symbols, dev, step, best);
            }
        }
        best = evalCtc(config, g, symbols, dev, step, best);
        say("done: %d steps, best dev phoneme error rate %.4f", step, best);
    }

    private double evalCtc(CtcAsrModel.Config config, MicroGraphs.Graph g, PhonemeSymbols symbols, List<Example> dev,
            int step, double best) throws IOException {
        Map<String, float[]> w = MicroGraphs.weights(g, mean, std);
        CtcAsrModel model = new CtcAsrModel(config, w);
        long errors = 0, total = 0;
        for (Example ex : dev) {
            FeatureCache.Utt u = ex.utt();
            float[][] lp = model.logProbs(ex.cache().frames(u));
            List<Integer> hyp = new ArrayList<>();
            int prev = 0;
            for (float[] row : lp) {
                int arg = 0;
                for (int k = 1; k < row.length; k++) if (row[k] > row[arg]) arg = k;
                if (arg != 0 && arg != prev) hyp.add(arg);
                prev = arg;
            }
            int[] ref = ex.labels();
            errors += editDistance(ref, hyp.stream().mapToInt(Integer::intValue).toArray());
            total += ref.length;
        }
        double per = errors / (double) total;
        say("step %d dev greedy phoneme error rate %.4f (%d utterances)%s", step, per, dev.size(), per < best ? " best, exported" : "");
        if (per < best) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("training", Map.of("steps", step, "dev_greedy_per", per, "minutes", Math.round(elapsed() / 6) / 10.0));
            MicroModels.saveCtc(out.resolve("model"), config, w, DType.F16, extra);
            return per;
        }
        return best;
    }

    static int editDistance(int[] a, int[] b) {
        int[] prev = new int[b.length + 1], cur = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) prev[j] = j;
        for (int i = 1; i <= a.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length; j++) {
                cur[j] = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length];
    }
}
