package org.llasalab.verifiers.micro;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.llasalab.verifiers.AudioEmbedder;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * micro-emotion as a verifier (metric {@code emotion}, higher is better): the probability of the
 * candidate's target style when it has one, else the cosine of the style embeddings of candidate and prompt.
 */
public final class MicroEmotionVerifier implements Verifier {
    private final MicroEmotionModel model;
    private final Map<float[], float[]> promptEmbeddings = Collections.synchronizedMap(new WeakHashMap<>());

    public MicroEmotionVerifier(MicroEmotionModel model) {
        this.model = model;
    }

    @Override
    public String metric() { return "emotion"; }

    @Override
    public Direction direction() { return Direction.HIGHER_IS_BETTER; }

    @Override
    public double min() { return -1; }

    @Override
    public double max() { return 1; }

    @Override
    public List<Score> score(List<Candidate> batch) {
        List<Score> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Candidate c = batch.get(i);
            if (c.targetEmotion() != null) {
                int target = model.labelIndex(c.targetEmotion());
                double[] p = model.probabilities(c.audio());
                int best = 0;
                Map<String, Object> probs = new LinkedHashMap<>();
                for (int k = 0; k < p.length; k++) {
                    probs.put(model.labels().get(k), p[k]);
                    if (p[k] > p[best]) best = k;
                }
                out.add(new Score(p[target], Map.of("predicted", model.labels().get(best), "probabilities", probs)));
            } else if (c.promptAudio() != null) {
                float[] prompt = promptEmbeddings.computeIfAbsent(c.promptAudio(), model::embed);
                out.add(new Score(AudioEmbedder.cosine(model.embed(c.audio()), prompt), Map.of("mode", "cosine")));
            } else {
                throw new IllegalArgumentException("micro-emotion: candidate " + i + " has neither a target emotion nor prompt audio");
            }
        }
        return out;
    }
}
