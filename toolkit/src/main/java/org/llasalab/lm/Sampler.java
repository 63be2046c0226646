package org.llasalab.lm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws the next token from logits as Hugging Face's generate does: repetition penalty, then
 * (unless greedy) temperature, top-k, top-p and min-p, then a draw from the renormalised
 * distribution. Only ids allowed by the {@link LogitMask} (when given) are ever chosen.
 * Each sequence brings its own random stream (seeded through {@link Seeds}), so a seed gives the same tokens
 * whatever else is decoded in the batch. Holds scratch buffers: one sampler per thread.
 */
public final class Sampler {
    /**
     * The chosen token and its log-probability under the model's distribution restricted to the
     * allowed ids, after the repetition penalty, at temperature 1 (the number to average for a
     * candidate's mean log-probability; not affected by temperature or truncation).
     */
    public record Choice(int token, double logProb) {}

    private final SamplingParams params;
    private float[] work = new float[0];
    private int[] ids = new int[0];
    private double[] probs = new double[0];

    public Sampler(SamplingParams params) {
        this.params = params;
    }

    public SamplingParams params() {
        return params;
    }

    /**
     * Chooses a token.
     *
     * @param logits  next-token logits (not modified)
     * @param mask    allowed ids, or null for all
     * @param history tokens so far (prompt included) for the repetition penalty; may be null
     * @param rng     the sequence's own random stream (unused when greedy)
     */
    public Choice sample(float[] logits, LogitMask mask, int[] history, SplittableRandom rng) {
        int from = mask == null ? 0 : Math.max(0, mask.windowFrom());
        int to = mask == null ? logits.length : Math.min(logits.length, mask.windowTo());
        // candidates: allowed ids with their (penalised) logits
        if (ids.length < to - from) {
            ids = new int[to - from];
            work = new float[to - from];
            probs = new double[to - from];
        }
        int n = 0;
        for (int id = from; id < to; id++) {
            if (mask != null && !mask.allows(id)) continue;
            ids[n] = id;
            work[n++] = logits[id];
        }
        if (n == 0) throw new IllegalArgumentException("the mask allows no id inside the vocabulary");
        if (params.repetitionPenalty() != 1 && history != null) applyPenalty(n, history, (float) params.repetitionPenalty());

        double max = Double.NEGATIVE_INFINITY;
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (work[i] > max) {
                max = work[i];
                best = i;
            }
        }
        if (best < 0) throw new IllegalArgumentException("all allowed logits are -Infinity or NaN");
        double logZ = 0;
        for (int i = 0; i < n; i++) logZ += Math.exp(work[i] - max);
        logZ = max + Math.log(logZ);

        int chosen = params.greedy() ? best : draw(n, max, rng);
        return new Choice(ids[chosen], work[chosen] - logZ);
    }

    /** HF repetition penalty: for each id seen, logit / p when positive, logit * p otherwise. */
    private void applyPenalty(int n, int[] history, float penalty) {
        int[] seen = history.clone();
        Arrays.sort(seen);
        for (int i = 0; i < n; i++) {
            if (Arrays.binarySearch(seen, ids[i]) >= 0) work[i] = work[i] > 0 ? work[i] / penalty : work[i] * penalty;
        }
    }

    /** Candidate indices by descending logit (ties: lower index first), via one primitive sort. */
    private int[] descendingOrder(int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int b = Float.floatToIntBits(work[i]);
            b ^= (b >> 31) & 0x7fffffff; // int order == float order
            keys[i] = ((long) ~b << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = (int) keys[i];
        return order;
    }

    /** Temperature, top-k, top-p, min-p, then one draw; returns the index of the chosen candidate. */
    private int draw(int n, double max, SplittableRandom rng) {
        if (rng == null) throw new IllegalArgumentException("sampling needs a random stream");
        double t = params.temperature();
        int[] order = null;
        int keep = n;
        for (int i = 0; i < n; i++) probs[i] = Math.exp((work[i] - max) / t);
        boolean truncate = (params.topK() > 0 && params.topK() < n) || params.topP() < 1 || params.minP() > 0;
        if (truncate) {
            order = descendingOrder(n);
            if (params.topK() > 0) keep = Math.min(keep, params.topK());
            if (params.topP() < 1) {
                double total = 0;
                for (int j = 0; j < keep; j++) total += probs[order[j]];
                double cum = 0;
                int k = 0;
                while (k < keep) {
                    cum += probs[order[k]] / total;
                    k++;
                    if (cum >= params.topP()) break;
                }
                keep = k;
            }
            if (params.minP() > 0) {
                double threshold = params.minP() * probs[order[0]];
                int k = 1;
                while (k < keep && probs[order[k]] >= threshold) k++;
                keep = k;
            }
        }
        double total = 0;
        for (int j = 0; j < keep; j++) total += probs[order == null ? j : order[j]];
        double u = rng.nextDouble() * total;
        double cum = 0;
        for (int j = 0; j < keep; j++) {
            int idx = order == null ? j : order[j];
            cum += probs[idx];
            if (u < cum) return idx;
        }
        return order == null ? keep - 1 : order[keep - 1];
    }
}
