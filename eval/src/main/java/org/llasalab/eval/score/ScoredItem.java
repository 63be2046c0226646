package org.llasalab.eval.score;

import java.nio.file.Path;
import java.util.Map;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.verify.Score;

/**
 * One benchmark item after scoring: its audio file, whether it was there, its length and one
 * {@link Score} per verifier column (empty when missing).
 */
public record ScoredItem(BenchmarkItem item, Path audio, boolean missing, double seconds, Map<String, Score> scores) {
    public ScoredItem {
        scores = Map.copyOf(scores);
    }

    static ScoredItem missing(BenchmarkItem item, Path audio) {
        return new ScoredItem(item, audio, true, Double.NaN, Map.of());
    }

    /** The score of column {@code name}, NaN when absent. */
    public double value(String name) {
        Score s = scores.get(name);
        return s == null ? Double.NaN : s.value();
    }
}
