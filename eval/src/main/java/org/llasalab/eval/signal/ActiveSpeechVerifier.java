package org.llasalab.eval.signal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * The fraction of an output's frames that carry signal: frames of {@code frameMs} whose RMS level
 * is at least {@code thresholdDb} dBFS. A sanity metric for evaluation reports that needs no model:
 * it flags the known failure of silent or truncated outputs (0 = silent). Details: {@code seconds},
 * {@code frames}, {@code activeFrames}.
 */
public final class ActiveSpeechVerifier implements Verifier {
    private final double thresholdDb;
    private final int frameSamples;

    public ActiveSpeechVerifier(double thresholdDb, double frameMs) {
        if (!(frameMs > 0)) throw new IllegalArgumentException("active-speech: frame_ms must be positive, got " + frameMs);
        this.thresholdDb = thresholdDb;
        this.frameSamples = Math.max(1, (int) Math.round(frameMs * Candidate.SAMPLE_RATE / 1000));
    }

    @Override
    public String metric() {
        return "active";
    }

    @Override
    public Direction direction() {
        return Direction.HIGHER_IS_BETTER;
    }

    @Override
    public double min() {
        return 0;
    }

    @Override
    public double max() {
        return 1;
    }

    @Override
    public List<Score> score(List<Candidate> batch) {
        List<Score> out = new ArrayList<>(batch.size());
        for (Candidate c : batch) out.add(score(c.audio()));
        return out;
    }

    private Score score(float[] x) {
        int frames = x.length / frameSamples;
        int active = 0;
        for (int f = 0; f < frames; f++) {
            double energy = 0;
            for (int i = f * frameSamples; i < (f + 1) * frameSamples; i++) energy += x[i] * (double) x[i];
            double rms = Math.sqrt(energy / frameSamples);
            if (20 * Math.log10(Math.max(rms, 1e-12)) >= thresholdDb) active++;
        }
        double value = frames == 0 ? 0 : active / (double) frames;
        return new Score(value, Map.of("seconds", x.length / (double) Candidate.SAMPLE_RATE, "frames", frames, "activeFrames", active));
    }
}
