package org.llasalab.verify;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Test provider: a verifier that scores the audio's sum of squares and counts how often it is asked. */
public final class CountingProvider implements VerifierProvider {
    static final AtomicInteger SCORED = new AtomicInteger();

    @Override
    public String type() {
        return "test-energy";
    }

    @Override
    public String description() {
        return "test: audio energy, counts calls";
    }

    @Override
    public Verifier create(Map<String, Object> params, Path baseDir) {
        double gain = new VerifierParams(type(), params, baseDir).number("gain", 1.0);
        return new Verifier() {
            @Override public String metric() { return "energy"; }
            @Override public Direction direction() { return Direction.HIGHER_IS_BETTER; }
            @Override public double min() { return 0; }
            @Override public double max() { return Double.POSITIVE_INFINITY; }
            @Override
            public List<Score> score(List<Candidate> batch) {
                return batch.stream().map(c -> {
                    SCORED.incrementAndGet();
                    double e = 0;
                    for (float v : c.audio()) e += v * v;
                    return new Score(gain * e, Map.of("text", String.valueOf(c.targetText())));
                }).toList();
            }
        };
    }
}
