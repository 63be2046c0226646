package org.llasalab.verifiers.micro.train;

/**
 * Connectionist temporal classification loss and its gradient with respect to the logits (Graves et
 * al. 2006), by the forward-backward recursions in log space over the blank-extended label sequence.
 * Blank is symbol 0.
 */
public final class Ctc {
    private Ctc() {}

    /** Negative log-likelihood and d(loss)/d(logits) [T][V] for one sequence; infinite loss when infeasible. */
    public record Result(double loss, float[][] gradient) {}

    public static boolean feasible(int frames, int[] labels) {
        int needed = labels.length;
        for (int i = 1; i < labels.length; i++) if (labels[i] == labels[i - 1]) needed++;
        return frames >= needed;
    }

    public static Result lossAndGradient(float[][] logits, int frames, int[] labels) {
        int v = logits[0].length;
        double[][] lp = new double[frames][v];
        for (int t = 0; t < frames; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) max = Math.max(max, logits[t][k]);
            double sum = 0;
            for (int k = 0; k < v; k++) sum += Math.exp(logits[t][k] - max);
            double lse = max + Math.log(sum);
            for (int k = 0; k < v; k++) lp[t][k] = logits[t][k] - lse;
        }
        int s = 2 * labels.length + 1;
        int[] ext = new int[s];
        for (int i = 0; i < labels.length; i++) ext[2 * i + 1] = labels[i];
        double[][] alpha = new double[frames][s];
        double[][] beta = new double[frames][s];
        for (double[] row : alpha) java.util.Arrays.fill(row, Double.NEGATIVE_INFINITY);
        for (double[] row : beta) java.util.Arrays.fill(row, Double.NEGATIVE_INFINITY);
        alpha[0][0] = lp[0][ext[0]];
        if (s > 1) alpha[0][1] = lp[0][ext[1]];
        for (int t = 1; t < frames; t++) {
            for (int i = 0; i < s; i++) {
                double a = alpha[t - 1][i];
                if (i >= 1) a = logAdd(a, alpha[t - 1][i - 1]);
                if (i >= 2 && ext[i] != 0 && ext[i] != ext[i - 2]) a = logAdd(a, alpha[t - 1][i - 2]);
                alpha[t][i] = a + lp[t][ext[i]];
            }
        }
        int last = frames - 1;
        beta[last][s - 1] = lp[last][ext[s - 1]];
        if (s > 1) beta[last][s - 2] = lp[last][ext[s - 2]];
        for (int t = last - 1; t >= 0; t--) {
            for (int i = 0; i < s; i++) {
                double b = beta[t + 1][i];
                if (i + 1 < s) b = logAdd(b, beta[t + 1][i + 1]);
                if (i + 2 < s && ext[i] != 0 && ext[i] != ext[i + 2]) b = logAdd(b, beta[t + 1][i + 2]);
                beta[t][i] = b + lp[t][ext[i]];
            }
        }
        double logLik = s > 1 ? logAdd(alpha[last][s - 1], alpha[last][s - 2]) : alpha[last][0];
        float[][] grad = new float[logits.length][v];
        if (Double.isInfinite(logLik)) return new Result(Double.POSITIVE_INFINITY, grad);
        for (int t = 0; t < frames; t++) {
            double[] occ = new double[v];
            java.util.Arrays.fill(occ, Double.NEGATIVE_INFINITY);
            // alpha and beta both include lp[t][ext[i]]: their product counts it twice.
            for (int i = 0; i < s; i++) occ[ext[i]] = logAdd(occ[ext[i]], alpha[t][i] + beta[t][i] - lp[t][ext[i]]);
            for (int k = 0; k < v; k++) {
                grad[t][k] = (float) (Math.exp(lp[t][k]) - Math.exp(occ[k] - logLik));
            }
        }
        return new Result(-logLik, grad);
    }

    static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        if (b == Double.NEGATIVE_INFINITY) return a;
        double m = Math.max(a, b);
        return m + Math.log1p(Math.exp(-Math.abs(a - b)));
    }
}
