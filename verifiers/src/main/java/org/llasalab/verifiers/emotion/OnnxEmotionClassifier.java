package org.llasalab.verifiers.emotion;

import java.util.List;
import org.llasalab.verifiers.onnx.AudioFrontEnd;
import org.llasalab.verifiers.onnx.OnnxModel;

/** Emotion classes from an ONNX model's output: logits (soft-maxed here) or probabilities. */
public final class OnnxEmotionClassifier implements EmotionClassifier {
    private final OnnxModel model;
    private final AudioFrontEnd frontEnd;
    private final String output;
    private final boolean logits;
    private final List<String> labels;

    public OnnxEmotionClassifier(OnnxModel model, AudioFrontEnd frontEnd, String output, boolean logits,
                                 List<String> labels) {
        this.model = model;
        this.frontEnd = frontEnd;
        this.output = model.output(output);
        this.logits = logits;
        this.labels = List.copyOf(labels);
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public double[] probabilities(float[] audio16k) {
        AudioFrontEnd.Tensor t = frontEnd.apply(audio16k);
        float[] raw = model.run(t.data(), t.shape(), List.of(output)).get(output);
        if (raw.length != labels.size()) {
            throw new IllegalStateException("ONNX model " + model.file() + " output '" + output + "' has " + raw.length
                    + " classes but " + labels.size() + " labels are configured");
        }
        double[] p = new double[raw.length];
        if (logits) {
            double max = Double.NEGATIVE_INFINITY;
            for (float v : raw) max = Math.max(max, v);
            double sum = 0;
            for (int i = 0; i < raw.length; i++) {
                p[i] = Math.exp(raw[i] - max);
                sum += p[i];
            }
            for (int i = 0; i < p.length; i++) p[i] /= sum;
        } else {
            for (int i = 0; i < raw.length; i++) p[i] = raw[i];
        }
        return p;
    }

    @Override
    public void close() {
        model.close();
    }
}
