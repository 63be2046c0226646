package org.llasalab.eval.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Mean with a percentile bootstrap confidence interval. Deterministic for a given seed. */
public final class Bootstrap {
    public record Interval(double mean, double low, double high, int n) {}

    private Bootstrap() {}

    /** Mean and {@code level} (e.g. 0.95) percentile-bootstrap interval of the mean, {@code resamples} draws. */
    public static Interval meanInterval(double[] values, double level, int resamples, long seed) {
        int n = values.length;
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double mean = Arrays.stream(values).average().orElseThrow();
        if (n == 1) {
            return new Interval(mean, mean, mean, 1);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Arrays.sort(means);
        double alpha = (1 - level) / 2;
        return new Interval(mean, quantile(means, alpha), quantile(means, 1 - alpha), n);
    }

    public static Interval meanInterval95(double[] values) {
        return meanInterval(values, 0.95, 2000, 12345L);
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return sorted[lo] * (1 - frac) + sorted[hi] * frac;
    }
}
