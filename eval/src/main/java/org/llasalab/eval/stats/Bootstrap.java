package org.llasalab.eval.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

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

    /**
     * Any statistic of {@code n} paired observations with a percentile-bootstrap interval:
     * {@code statistic} receives the indices of one resample (all of 0..n-1 for the point estimate),
     * so ratios such as corpus WER (total edits / total reference words) resample whole utterances.
     */
    public static Interval interval(int n, ToDoubleFunction<int[]> statistic, double level, int resamples, long seed) {
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        double estimate = statistic.applyAsDouble(all);
        if (n == 1) {
            return new Interval(estimate, estimate, estimate, 1);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] draws = new double[resamples];
        int[] pick = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) pick[i] = random.nextInt(n);
            draws[r] = statistic.applyAsDouble(pick);
        }
        Arrays.sort(draws);
        double alpha = (1 - level) / 2;
        return new Interval(estimate, quantile(draws, alpha), quantile(draws, 1 - alpha), n);
    }

    /** Sample variance (n - 1 denominator) with a percentile-bootstrap interval. */
    public static Interval varianceInterval(double[] values, double level, int resamples, long seed) {
        return interval(values.length, idx -> variance(values, idx), level, resamples, seed);
    }

    /** Sample variance of {@code values} at {@code idx}; 0 for a single value. */
    public static double variance(double[] values, int[] idx) {
        if (idx.length < 2) return 0;
        double mean = 0;
        for (int i : idx) mean += values[i];
        mean /= idx.length;
        double ss = 0;
        for (int i : idx) ss += (values[i] - mean) * (values[i] - mean);
        return ss / (idx.length - 1);
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return sorted[lo] * (1 - frac) + sorted[hi] * frac;
    }
}
