package org.llasalab.verifiers.emotion;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llasalab.verifiers.onnx.AudioFrontEnd;
import org.llasalab.verifiers.onnx.OnnxEmbedder;
import org.llasalab.verifiers.onnx.OnnxModel;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.VerifierParams;
import org.llasalab.verify.VerifierProvider;

/**
 * Type {@code emotion} with back-end {@code onnx} (emotion2vec-style models). Parameters: {@code model},
 * {@code input}, {@code mode} ({@code probability}, the default, or {@code cosine}); for probability
 * {@code output} (class scores, default the first output), {@code softmax} (true: the output is logits)
 * and {@code labels} (default emotion2vec+'s nine); for cosine {@code embedding_output}. The front end
 * defaults to the raw waveform normalised to zero mean and unit variance, as emotion2vec expects.
 */
public final class EmotionVerifierProvider implements VerifierProvider {
    /** The class order of emotion2vec+ (emotion2vec_plus_large/base/seed). */
    public static final List<String> EMOTION2VEC_LABELS = List.of("angry", "disgusted", "fearful", "happy", "neutral",
            "other", "sad", "surprised", "unknown");

    @Override
    public String type() {
        return "emotion";
    }

    @Override
    public String description() {
        return "emotion: probability of the target emotion, or emotion-embedding cosine with the prompt (backend: onnx)";
    }

    @Override
    public Verifier create(Map<String, Object> params, Path baseDir) {
        VerifierParams p = new VerifierParams(type(), params, baseDir);
        p.choice("backend", "onnx", List.of("onnx"));
        String mode = p.choice("mode", "probability", List.of("probability", "cosine"));
        try {
            if (mode.equals("cosine")) {
                return EmotionVerifier.cosine(OnnxEmbedder.fromParams(p, "embedding_output", "raw", true));
            }
            AudioFrontEnd frontEnd = AudioFrontEnd.fromParams(p, "raw", true);
            List<String> labels = p.has("labels") ? p.strings("labels") : EMOTION2VEC_LABELS;
            boolean softmax = p.flag("softmax", true);
            OnnxModel model = new OnnxModel(p.modelFile("model"), p.string("input", null), p.integer("threads", 0));
            try {
                return EmotionVerifier.probability(new OnnxEmotionClassifier(model, frontEnd, p.string("output", null),
                        softmax, labels));
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(type() + ":") ? e : new IllegalArgumentException(type() + ": " + e.getMessage(), e);
        }
    }
}
