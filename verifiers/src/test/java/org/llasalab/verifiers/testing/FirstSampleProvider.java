package org.llasalab.verifiers.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.VerifierParams;
import org.llasalab.verify.VerifierProvider;

/**
 * Test verifier type {@code test-first-sample}: the score is the candidate's first sample times
 * {@code gain}, with configurable direction and range; counts closes.
 */
public final class FirstSampleProvider implements VerifierProvider {
    public static final AtomicInteger CLOSED = new AtomicInteger();

    @Override
    public String type() {
        return "test-first-sample";
    }

    @Override
    public String description() {
        return "test: the first sample";
    }

    @Override
    public Verifier create(Map<String, Object> params, Path baseDir) {
        VerifierParams p = new VerifierParams(type(), params, baseDir);
        return make(p.flag("lower_is_better", false), p.number("min", 0), p.number("max", 1), p.number("gain", 1));
    }

    public static Verifier make(boolean lowerIsBetter, double min, double max, double gain) {
        return new Verifier() {
            @Override public String metric() { return "first"; }
            @Override public Direction direction() {
                return lowerIsBetter ? Direction.LOWER_IS_BETTER : Direction.HIGHER_IS_BETTER;
            }
            @Override public double min() { return min; }
            @Override public double max() { return max; }
            @Override public List<Score> score(List<org.llasalab.verify.Candidate> batch) {
                return batch.stream().map(c -> new Score(gain * c.audio()[0], Map.of("first", c.audio()[0]))).toList();
            }
            @Override public void close() { CLOSED.incrementAndGet(); }
        };
    }
}
