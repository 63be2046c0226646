package org.llasalab.verifiers.micro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.llasalab.verifiers.AudioEmbedder;
import org.llasalab.verifiers.emotion.EmotionClassifier;

/** micro-emotion: style probabilities (neutral, cheerful, sad, angry) and a style embedding. */
public final class MicroEmotionModel implements EmotionClassifier, AudioEmbedder {
    private final XVectorModel model;

    public MicroEmotionModel(XVectorModel model) {
        this.model = model;
    }

    public static MicroEmotionModel load(Path dir) throws IOException {
        return new MicroEmotionModel(MicroModels.loadXVector(dir));
    }

    @Override
    public void close() {}

    @Override
    public List<String> labels() { return model.config().labels(); }

    @Override
    public double[] probabilities(float[] audio16k) {
        return softmax(model.forward16k(audio16k).logits());
    }

    @Override
    public float[] embed(float[] audio16k) {
        return model.forward16k(audio16k).embedding();
    }

    /** Index of a style or emotion name among the labels ({@code happy} is the micro world's {@code cheerful}). */
    public int labelIndex(String emotion) {
        String e = emotion.trim().toLowerCase(Locale.ROOT);
        if (e.equals("happy")) e = "cheerful";
        int i = labels().indexOf(e);
        if (i < 0) throw new IllegalArgumentException("micro-emotion: unknown target emotion '" + emotion + "'; labels: " + labels());
        return i;
    }

    static double[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) max = Math.max(max, v);
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) sum += (p[i] = Math.exp(z[i] - max));
        for (int i = 0; i < z.length; i++) p[i] /= sum;
        return p;
    }
}
