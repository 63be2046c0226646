package org.llasalab.verifiers.sim;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.stream.IntStream;
import org.llasalab.verifiers.AudioEmbedder;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * Speaker similarity (SIM): cosine between the speaker embeddings of the candidate and of the prompt
 * audio. Higher is better, range [-1, 1]. The prompt's embedding is remembered per prompt array, since a
 * search scores many candidates against one prompt.
 */
public final class SimVerifier implements Verifier {
    private final AudioEmbedder embedder;
    private final Map<float[], float[]> promptEmbeddings = Collections.synchronizedMap(new WeakHashMap<>());

    public SimVerifier(AudioEmbedder embedder) {
        this.embedder = embedder;
    }

    @Override
    public String metric() {
        return "sim";
    }

    @Override
    public Direction direction() {
        return Direction.HIGHER_IS_BETTER;
    }

    @Override
    public double min() {
        return -1;
    }

    @Override
    public double max() {
        return 1;
    }

    /** Candidates are embedded in parallel (a beam step scores all its continuations in one call). */
    @Override
    public List<Score> score(List<Candidate> batch) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).promptAudio() == null) {
                throw new IllegalArgumentException("sim: candidate " + i + " has no prompt audio to compare with");
            }
        }
        Score[] out = new Score[batch.size()];
        IntStream.range(0, batch.size()).parallel().forEach(i -> {
            Candidate c = batch.get(i);
            float[] prompt = promptEmbeddings.computeIfAbsent(c.promptAudio(), embedder::embed);
            float[] candidate = embedder.embed(c.audio());
            out[i] = new Score(AudioEmbedder.cosine(candidate, prompt), Map.of("embedding_size", candidate.length));
        });
        return List.of(out);
    }

    @Override
    public void close() {
        try {
            embedder.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing speaker embedder: " + e.getMessage(), e);
        }
    }
}
