package org.llasalab.lm;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.llasalab.tensor.VectorExp;

/**
 * Draws the next token from logits as Hugging Face's generate does: repetition penalty, then
 * (unless greedy) temperature, top-k, top-p and min-p, then a draw from the renormalised
 * distribution. Only ids allowed by the {@link LogitMask} (when given) are ever chosen; a NaN logit
 * counts as -Infinity (never chosen).
 * Each sequence brings its own random stream (seeded through {@link Seeds}), so a seed gives the same tokens
 * whatever else is decoded in the batch. Holds scratch buffers: one sampler per thread.
 * <p>
 * Llasa samples among 65,537 speech ids at every step of every sequence, so this runs once per token per
 * sequence beside the model: the exponentials are computed in vectors ({@link VectorExp}: double precision,
 * the same bits before and after JIT compilation), and truncation sorts only the candidates it can reach (the top k, or a prefix of the
 * order grown until top-p and min-p stop inside it) instead of all of them.
 */
public final class Sampler {
    /**
     * The chosen token and its log-probability under the model's distribution restricted to the
     * allowed ids, after the repetition penalty, at temperature 1 (the number to average for a
     * candidate's mean log-probability; not affected by temperature or truncation).
     */
    public record Choice(int token, double logProb) {}

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats that widen to one double vector. */
    private static final VectorSpecies<Float> FD = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    /** First prefix of the order that top-p or min-p (without top-k) sorts; grown 8x while too short. */
    private static final int FIRST_PREFIX = 64;

    private final SamplingParams params;
    /** Candidates: allowed ids in ascending order, their (penalised) logits, exp((logit - max) / T). */
    private int[] ids = new int[0];
    private float[] work = new float[0];
    private double[] probs = new double[0];
    /** The first {@code sorted} candidates by descending logit (ties: lower id first), as indices into ids. */
    private int[] order = new int[0];
    private long[] keys = new long[0];
    private float[] heap = new float[0];
    /** The lanes of the exponentials' vector sum, added in order. */
    private final double[] lanes = new double[D.length()];
    /** The largest candidate logit and its index, set by {@link #prepare}. */
    private float max;
    private int best;

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
        int n = prepare(logits, mask, history);
        int chosen;
        double sumAtOne;
        if (params.greedy()) {
            chosen = best;
            sumAtOne = exps(n, 1, false);
        } else {
            if (rng == null) throw new IllegalArgumentException("sampling needs a random stream");
            double t = params.temperature();
            double sumAtT = exps(n, t, true);
            sumAtOne = t == 1 ? sumAtT : exps(n, 1, false);
            int keep = truncate(n, sumAtT);
            chosen = keep < 0 ? pick(null, n, sumAtT, rng) : pick(order, keep, orderedSum(keep), rng);
        }
        return new Choice(ids[chosen], work[chosen] - (max + Math.log(sumAtOne)));
    }

    /** The ids sampling may choose from after temperature and truncation, most likely first (for tests). */
    int[] keptIds(float[] logits, LogitMask mask, int[] history) {
        int n = prepare(logits, mask, history);
        int keep = truncate(n, exps(n, params.greedy() ? 1 : params.temperature(), true));
        int[] out = new int[keep < 0 ? n : keep];
        if (keep < 0) sortPrefix(n, n);
        for (int j = 0; j < out.length; j++) out[j] = ids[order[j]];
        return out;
    }

    /** Candidates, repetition penalty, the largest logit ({@link #max}, at {@link #best}); returns the number of candidates. */
    private int prepare(float[] logits, LogitMask mask, int[] history) {
        int n = gather(logits, mask);
        if (n == 0) throw new IllegalArgumentException("the mask allows no id inside the vocabulary");
        if (params.repetitionPenalty() != 1 && history != null) applyPenalty(n, history, (float) params.repetitionPenalty());
        max = Float.NEGATIVE_INFINITY;
        best = -1;
        for (int i = 0; i < n; i++) {
            if (work[i] > max) {
                max = work[i];
                best = i;
            }
        }
        if (best < 0) throw new IllegalArgumentException("all allowed logits are -Infinity or NaN");
        return n;
    }

    /** The allowed ids (ascending) and their logits into the candidate arrays; returns their number. */
    private int gather(float[] logits, LogitMask mask) {
        int from = mask == null ? 0 : Math.max(0, mask.windowFrom());
        int to = mask == null ? logits.length : Math.min(logits.length, mask.windowTo());
        if (ids.length < to - from) {
            ids = new int[to - from];
            work = new float[to - from];
            probs = new double[to - from];
        }
        int n = 0;
        for (int id = from; id < to; id++) {
            if (mask != null && !mask.allows(id)) continue;
            float l = logits[id];
            ids[n] = id;
            work[n++] = Float.isNaN(l) ? Float.NEGATIVE_INFINITY : l;
        }
        return n;
    }

    /** HF repetition penalty: for each id seen, logit / p when positive, logit * p otherwise. */
    private void applyPenalty(int n, int[] history, float penalty) {
        int[] seen = history.clone();
        Arrays.sort(seen);
        for (int h = 0; h < seen.length; h++) {
            if (h > 0 && seen[h] == seen[h - 1]) continue;
            int i = Arrays.binarySearch(ids, 0, n, seen[h]);
            if (i >= 0) work[i] = work[i] > 0 ? work[i] / penalty : work[i] * penalty;
        }
    }

    /** The sum of exp((work[i] - max) / t) over the candidates, also stored into probs when {@code store}. */
    private double exps(int n, double t, boolean store) {
        DoubleVector acc = DoubleVector.zero(D);
        int i = 0;
        for (int end = n - n % D.length(); i < end; i += D.length()) {
            DoubleVector w = (DoubleVector) FloatVector.fromArray(FD, work, i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector e = VectorExp.exp(w.sub(max).div(t));
            if (store) e.intoArray(probs, i);
            acc = acc.add(e);
        }
        // lane by lane in order, not reduceLanes(ADD), whose order differs once compiled (see Kernels.sumLanes)
        acc.intoArray(lanes, 0);
        double sum = 0;
        for (double l : lanes) sum += l;
        for (; i < n; i++) {
            double e = Math.exp((work[i] - (double) max) / t);
            if (store) probs[i] = e;
            sum += e;
        }
        return sum;
    }

    /**
     * Top-k, top-p and min-p over the candidates' probs (total mass {@code total}): returns how many of
     * the first candidates in {@link #order} remain, or -1 when nothing truncates (all remain, by index).
     */
    private int truncate(int n, double total) {
        int topK = params.topK() > 0 && params.topK() < n ? params.topK() : n;
        boolean truncate = topK < n || params.topP() < 1 || params.minP() > 0;
        if (!truncate) return -1;
        // sort a prefix of the order that holds the top k, or that top-p and min-p stop inside
        int want = topK < n ? topK : Math.min(n, FIRST_PREFIX);
        while (true) {
            int sorted = sortPrefix(n, want);
            int keep = topK;
            boolean tooShort = false;
            if (params.topP() < 1) {
                double mass = topK < n ? orderedSum(keep) : total;
                double cum = 0;
                int k = 0;
                while (k < keep) {
                    if (k == sorted) {
                        tooShort = true;
                        break;
                    }
                    cum += probs[order[k]] / mass;
                    k++;
                    if (cum >= params.topP()) break;
                }
                keep = k;
            }
            if (!tooShort && params.minP() > 0) {
                double threshold = params.minP() * probs[order[0]];
                int k = 1;
                while (k < keep && k < sorted && probs[order[k]] >= threshold) k++;
                tooShort = k < keep && k == sorted;
                keep = k;
            }
            if (!tooShort) return keep;
            want = (int) Math.min(n, 8L * want);
        }
    }

    /** One draw among the first {@code keep} candidates (in {@code order}, or by index when null) with total mass {@code total}. */
    private int pick(int[] order, int keep, double total, SplittableRandom rng) {
        double u = rng.nextDouble() * total;
        double cum = 0;
        for (int j = 0; j < keep; j++) {
            int idx = order == null ? j : order[j];
            cum += probs[idx];
            if (u < cum) return idx;
        }
        return order == null ? keep - 1 : order[keep - 1];
    }

    private double orderedSum(int keep) {
        double s = 0;
        for (int j = 0; j < keep; j++) s += probs[order[j]];
        return s;
    }

    /**
     * Sorts into {@code order} every candidate whose logit is at least the {@code want}-th largest (a
     * prefix of the full order: ties at the boundary all included, so at least {@code want} of them);
     * returns how many. {@code want >= n} sorts all.
     */
    private int sortPrefix(int n, int want) {
        float threshold = want >= n ? Float.NEGATIVE_INFINITY : wantThLargest(n, want);
        if (keys.length < n) {
            keys = new long[n];
            order = new int[n];
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (work[i] < threshold) continue;
            int b = Float.floatToIntBits(work[i]);
            b ^= (b >> 31) & 0x7fffffff; // int order == float order
            keys[m++] = ((long) ~b << 32) | i;
        }
        Arrays.sort(keys, 0, m);
        for (int j = 0; j < m; j++) order[j] = (int) keys[j];
        return m;
    }

    /** The {@code want}-th largest logit among the candidates (1 <= want < n), through a min-heap of the largest seen. */
    private float wantThLargest(int n, int want) {
        if (heap.length < want) heap = new float[want];
        float[] h = heap;
        for (int i = 0; i < want; i++) { // heapify the first want
            int c = i;
            h[c] = work[i];
            while (c > 0 && h[(c - 1) / 2] > h[c]) {
                float t = h[c];
                h[c] = h[(c - 1) / 2];
                h[(c - 1) / 2] = t;
                c = (c - 1) / 2;
            }
        }
        for (int i = want; i < n; i++) {
            float v = work[i];
            if (v <= h[0]) continue;
            int c = 0; // replace the root, sift down
            while (true) {
                int l = 2 * c + 1;
                if (l >= want) break;
                int s = l + 1 < want && h[l + 1] < h[l] ? l + 1 : l;
                if (h[s] >= v) break;
                h[c] = h[s];
                c = s;
            }
            h[c] = v;
        }
        return h[0];
    }
}
