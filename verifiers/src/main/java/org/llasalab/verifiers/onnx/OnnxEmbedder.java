package org.llasalab.verifiers.onnx;

import java.util.List;
import org.llasalab.verifiers.AudioEmbedder;
import org.llasalab.verify.VerifierParams;

/**
 * An utterance embedding from an ONNX model (a speaker or emotion encoder): front end, model, one
 * output flattened to a vector.
 */
public final class OnnxEmbedder implements AudioEmbedder {
    private final OnnxModel model;
    private final AudioFrontEnd frontEnd;
    private final String output;

    public OnnxEmbedder(OnnxModel model, AudioFrontEnd frontEnd, String output) {
        this.model = model;
        this.frontEnd = frontEnd;
        this.output = model.output(output);
    }

    /**
     * From parameters {@code model} (path), {@code input} and {@code output} (names; default the first),
     * {@code threads}, and the front end's ({@link AudioFrontEnd#fromParams}).
     */
    public static OnnxEmbedder fromParams(VerifierParams p, String outputKey, String defaultFeatures,
                                          boolean defaultNormalize) {
        AudioFrontEnd frontEnd = AudioFrontEnd.fromParams(p, defaultFeatures, defaultNormalize);
        OnnxModel model = new OnnxModel(p.modelFile("model"), p.string("input", null), p.integer("threads", 0));
        try {
            return new OnnxEmbedder(model, frontEnd, p.string(outputKey, null));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public OnnxModel model() {
        return model;
    }

    @Override
    public float[] embed(float[] audio16k) {
        AudioFrontEnd.Tensor t = frontEnd.apply(audio16k);
        return model.run(t.data(), t.shape(), List.of(output)).get(output);
    }

    @Override
    public void close() {
        model.close();
    }
}
