package org.llasalab.verifiers.emotion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import org.llasalab.verifiers.AudioEmbedder;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * Emotion verifiers. {@link #probability}: the classifier's probability of the candidate's target
 * emotion, range [0, 1]. {@link #cosine}: cosine between emotion embeddings of candidate and prompt,
 * range [-1, 1]. Higher is better in both.
 */
public final class EmotionVerifier implements Verifier {
    private final EmotionClassifier classifier;
    private final AudioEmbedder embedder;
    private final Map<float[], float[]> promptEmbeddings = Collections.synchronizedMap(new WeakHashMap<>());

    private EmotionVerifier(EmotionClassifier classifier, AudioEmbedder embedder) {
        this.classifier = classifier;
        this.embedder = embedder;
    }

    public static EmotionVerifier probability(EmotionClassifier classifier) {
        return new EmotionVerifier(classifier, null);
    }

    public static EmotionVerifier cosine(AudioEmbedder embedder) {
        return new EmotionVerifier(null, embedder);
    }

    @Override
    public String metric() {
        return "emotion";
    }

    @Override
    public Direction direction() {
        return Direction.HIGHER_IS_BETTER;
    }

    @Override
    public double min() {
        return classifier != null ? 0 : -1;
    }

    @Override
    public double max() {
        return 1;
    }

    /** Index of {@code emotion} among labels: exact (case-insensitive) or the part after a '/' ("生气/angry"). */
    static int labelIndex(List<String> labels, String emotion) {
        String e = emotion.trim().toLowerCase(Locale.ROOT);
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i).toLowerCase(Locale.ROOT);
            if (label.equals(e) || label.endsWith("/" + e)) return i;
        }
        throw new IllegalArgumentException("emotion: unknown target emotion '" + emotion + "'; labels: " + labels);
    }

    @Override
    public List<Score> score(List<Candidate> batch) {
        List<Score> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Candidate c = batch.get(i);
            if (classifier != null) {
                if (c.targetEmotion() == null) {
                    throw new IllegalArgumentException("emotion: candidate " + i + " has no target emotion");
                }
                List<String> labels = classifier.labels();
                int target = labelIndex(labels, c.targetEmotion());
                double[] p = classifier.probabilities(c.audio());
                int best = 0;
                Map<String, Object> probs = new LinkedHashMap<>();
                for (int k = 0; k < p.length; k++) {
                    probs.put(labels.get(k), p[k]);
                    if (p[k] > p[best]) best = k;
                }
                out.add(new Score(p[target], Map.of("predicted", labels.get(best), "probabilities", probs)));
            } else {
                if (c.promptAudio() == null) {
                    throw new IllegalArgumentException("emotion: candidate " + i + " has no prompt audio to compare with");
                }
                float[] prompt = promptEmbeddings.computeIfAbsent(c.promptAudio(), embedder::embed);
                out.add(new Score(AudioEmbedder.cosine(embedder.embed(c.audio()), prompt), Map.of()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            if (classifier != null) classifier.close();
            if (embedder != null) embedder.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing emotion model: " + e.getMessage(), e);
        }
    }
}
