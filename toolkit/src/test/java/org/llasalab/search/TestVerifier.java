package org.llasalab.search;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/** Test double: scores audio with a function and records what it was shown. */
final class TestVerifier implements Verifier {
    final String metric;
    final Direction direction;
    final ToDoubleFunction<float[]> f;
    final List<Integer> seenLengths = new ArrayList<>();
    final List<String> seenTexts = new ArrayList<>();
    int calls;

    TestVerifier(String metric, Direction direction, ToDoubleFunction<float[]> f) {
        this.metric = metric;
        this.direction = direction;
        this.f = f;
    }

    /** Higher mean sample value is better: prefers high codes. */
    static TestVerifier meanLevel() {
        return new TestVerifier("level", Direction.HIGHER_IS_BETTER, TestVerifier::mean);
    }

    static double mean(float[] a) {
        double s = 0;
        for (float v : a) s += v;
        return a.length == 0 ? 0 : s / a.length;
    }

    @Override public String metric() { return metric; }
    @Override public Direction direction() { return direction; }
    @Override public double min() { return Double.NEGATIVE_INFINITY; }
    @Override public double max() { return Double.POSITIVE_INFINITY; }

    @Override
    public List<Score> score(List<Candidate> batch) {
        calls++;
        List<Score> out = new ArrayList<>();
        for (Candidate c : batch) {
            seenLengths.add(c.audio().length);
            seenTexts.add(c.targetText());
            out.add(Score.of(f.applyAsDouble(c.audio())));
        }
        return out;
    }
}
