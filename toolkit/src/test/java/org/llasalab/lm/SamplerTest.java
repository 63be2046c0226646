package org.llasalab.lm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
    // probabilities at temperature 1 ~ 0.50, 0.25, 0.125, 0.0625, 0.0625
    private static final float[] LOGITS = {
        (float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.125), (float) Math.log(0.0625), (float) Math.log(0.0625)};

    private static Set<Integer> support(SamplingParams p, float[] logits, LogitMask mask, int[] history) {
        Sampler s = new Sampler(p);
        SplittableRandom rng = new SplittableRandom(7);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 4000; i++) seen.add(s.sample(logits, mask, history, rng).token());
        return seen;
    }

    /**
     * The log-prob sums the exponentials in vectors: their lanes are added in a fixed order, so the first
     * (interpreted) draws and the JIT-compiled ones report the same bits. Compiled, the Vector API's
     * {@code reduceLanes(ADD)} adds double lanes in another order than interpreted (on an AVX-512 Zen 5, a
     * quarter of random 8-lane sums differ in the last bit). A short row keeps the first draw interpreted.
     */
    @Test
    void logProbHasTheSameBitsBeforeAndAfterCompilation() {
        SplittableRandom r = new SplittableRandom(5);
        double[] cold = new double[20];
        float[][] rows = new float[cold.length][];
        Sampler s = new Sampler(SamplingParams.GREEDY);
        for (int j = 0; j < rows.length; j++) {
            rows[j] = new float[257];
            for (int i = 0; i < rows[j].length; i++) rows[j][i] = (float) (r.nextDouble(-8, 8) * Math.pow(10, r.nextInt(-3, 1)));
            cold[j] = s.sample(rows[j], null, null, null).logProb();
        }
        for (int rep = 0; rep < 30_000; rep++) s.sample(rows[rep % rows.length], null, null, null); // long enough for C2
        for (int j = 0; j < rows.length; j++) {
            assertEquals(Double.doubleToLongBits(cold[j]), Double.doubleToLongBits(s.sample(rows[j], null, null, null).logProb()), "row " + j);
        }
    }

    @Test
    void greedyTakesArgmaxAndReportsLogProb() {
        Sampler.Choice c = new Sampler(SamplingParams.GREEDY).sample(LOGITS, null, null, null);
        assertEquals(0, c.token());
        assertEquals(Math.log(0.5), c.logProb(), 1e-6);
    }

    @Test
    void plainSamplingFollowsTheDistribution() {
        Sampler s = new Sampler(new SamplingParams(1.0, 0, 1.0, 0, 1.0));
        SplittableRandom rng = new SplittableRandom(1);
        Map<Integer, Integer> counts = new HashMap<>();
        int draws = 20000;
        for (int i = 0; i < draws; i++) counts.merge(s.sample(LOGITS, null, null, rng).token(), 1, Integer::sum);
        assertEquals(0.5, counts.get(0) / (double) draws, 0.02);
        assertEquals(0.25, counts.get(1) / (double) draws, 0.02);
        assertEquals(0.0625, counts.get(4) / (double) draws, 0.01);
    }

    @Test
    void topKKeepsTheKLargest() {
        assertEquals(Set.of(0, 1), support(new SamplingParams(1.0, 2, 1.0, 0, 1.0), LOGITS, null, null));
    }

    @Test
    void topPKeepsTheSmallestPrefixReachingP() {
        // 0.5 + 0.25 = 0.75 >= 0.7: ids 0 and 1
        assertEquals(Set.of(0, 1), support(new SamplingParams(1.0, 0, 0.7, 0, 1.0), LOGITS, null, null));
        // 0.5 + 0.25 + 0.125 = 0.875 >= 0.8
        assertEquals(Set.of(0, 1, 2), support(new SamplingParams(1.0, 0, 0.8, 0, 1.0), LOGITS, null, null));
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheTop() {
        // threshold 0.3 * 0.5 = 0.15: ids 0 (0.5) and 1 (0.25)
        assertEquals(Set.of(0, 1), support(new SamplingParams(1.0, 0, 1.0, 0.3, 1.0), LOGITS, null, null));
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        float[] logits = {2.0f, 1.5f, -1.0f, -0.5f};
        Sampler s = new Sampler(new SamplingParams(0, 0, 1.0, 0, 2.0));
        // id 0 seen: 2.0 -> 1.0 < 1.5
        assertEquals(1, s.sample(logits, null, new int[] {0}, null).token());
        // id 3 seen: -0.5 -> -1.0; greedy still id 0 when 0 is not in the history
        assertEquals(0, s.sample(logits, null, new int[] {3}, null).token());
        float[] neg = {-1.0f, -1.2f};
        assertEquals(1, s.sample(neg, null, new int[] {0, 0}, null).token(), "-1.0 * 2 = -2.0 < -1.2");
        // the log-probability is that of the penalised distribution
        Sampler.Choice c = s.sample(logits, null, new int[] {0}, null);
        double z = Math.log(Math.exp(1.0) + Math.exp(1.5) + Math.exp(-1.0) + Math.exp(-0.5));
        assertEquals(1.5 - z, c.logProb(), 1e-6);
    }

    @Test
    void speechMaskAllowsOnlySpeechTokensAndTheEndMarker() {
        // vocab 20: text 0..9, markers 10..13 (end = 11), speech 14..19
        SpeechTokens st = new SpeechTokens(14, 6, 11);
        LogitMask mask = LogitMask.speech(st);
        assertEquals(11, mask.windowFrom());
        assertEquals(20, mask.windowTo());
        assertEquals(7, mask.size());
        float[] logits = new float[20];
        logits[3] = 50; // a text token that must never be chosen
        logits[12] = 40; // a marker that is not the end marker
        Set<Integer> seen = support(new SamplingParams(1.0, 0, 1.0, 0, 1.0), logits, mask, null);
        assertEquals(Set.of(11, 14, 15, 16, 17, 18, 19), seen);
        assertEquals(11, new Sampler(SamplingParams.GREEDY).sample(logits, mask, null, null).token(),
                "ties: the lowest allowed id");
        logits[17] = 5;
        Sampler.Choice c = new Sampler(SamplingParams.GREEDY).sample(logits, mask, null, null);
        assertEquals(17, c.token());
        assertEquals(5 - Math.log(Math.exp(5) + 6), c.logProb(), 1e-6, "normalised over the allowed ids only");
    }

    @Test
    void truncationKeepsWhatAFullSortWouldKeepOnAFullSizedVocabulary() {
        // 70,000 ids, a window with extras (as the speech mask), logits on a coarse grid so that many tie
        int vocab = 70_000;
        LogitMask mask = LogitMask.of(4_000, 69_000, 17, 69_500);
        SplittableRandom r = new SplittableRandom(3);
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) logits[i] = (float) (Math.round(r.nextGaussian() * 9) * 0.37);
        int[] history = {5_000, 5_001, 17, 68_999, 5_000};
        for (double t : new double[] {0.7, 1.0, 1.3}) {
            for (int k : new int[] {0, 1, 7, 50, 64_999}) {
                for (double p : new double[] {1.0, 0.9137, 0.4321, 0.99991}) {
                    for (double minP : new double[] {0, 0.0123}) {
                        SamplingParams params = new SamplingParams(t, k, p, minP, 1.3);
                        assertArrayEquals(referenceKept(params, logits, mask, history), new Sampler(params).keptIds(logits, mask, history),
                                params.toString());
                    }
                }
            }
        }
    }

    @Test
    void logProbMatchesAScalarReferenceOnAFullSizedVocabulary() {
        SplittableRandom r = new SplittableRandom(5);
        float[] logits = new float[70_003];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (r.nextGaussian() * 4);
        LogitMask mask = LogitMask.of(3, 70_001);
        Sampler.Choice c = new Sampler(new SamplingParams(0.8, 50, 0.95, 0, 1.0)).sample(logits, mask, null, new SplittableRandom(1));
        double max = Double.NEGATIVE_INFINITY;
        for (int id = 3; id < 70_001; id++) max = Math.max(max, logits[id]);
        double z = 0;
        for (int id = 3; id < 70_001; id++) z += Math.exp(logits[id] - max);
        assertEquals(logits[c.token()] - max - Math.log(z), c.logProb(), 1e-9);
    }

    @Test
    void aNanLogitIsNeverChosen() {
        float[] logits = {Float.NaN, 0f, -1f};
        assertEquals(1, new Sampler(SamplingParams.GREEDY).sample(logits, null, null, null).token());
        assertFalse(support(new SamplingParams(1.0, 0, 1.0, 0, 1.0), logits, null, null).contains(0));
        assertFalse(support(new SamplingParams(1.0, 2, 0.9, 0, 1.0), logits, null, null).contains(0));
    }

    /** What sampling keeps, the plain way: every allowed id sorted, scalar exponentials, sums in sorted order. */
    private static int[] referenceKept(SamplingParams params, float[] logits, LogitMask mask, int[] history) {
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        for (int id = 0; id < logits.length; id++) if (mask.allows(id)) ids.add(id);
        Set<Integer> seen = new HashSet<>();
        for (int h : history) seen.add(h);
        Map<Integer, Float> w = new HashMap<>();
        float pen = (float) params.repetitionPenalty();
        for (int id : ids) w.put(id, seen.contains(id) ? (logits[id] > 0 ? logits[id] / pen : logits[id] * pen) : logits[id]);
        ids.sort((a, b) -> w.get(a).equals(w.get(b)) ? Integer.compare(a, b) : Float.compare(w.get(b), w.get(a)));
        double max = w.get(ids.get(0));
        double[] prob = new double[ids.size()];
        for (int j = 0; j < prob.length; j++) prob[j] = Math.exp((w.get(ids.get(j)) - max) / params.temperature());
        int keep = params.topK() > 0 ? Math.min(params.topK(), prob.length) : prob.length;
        if (params.topP() < 1) {
            double total = 0;
            for (int j = 0; j < keep; j++) total += prob[j];
            double cum = 0;
            int k = 0;
            while (k < keep) {
                cum += prob[k] / total;
                k++;
                if (cum >= params.topP()) break;
            }
            keep = k;
        }
        if (params.minP() > 0) {
            int k = 1;
            while (k < keep && prob[k] >= params.minP() * prob[0]) k++;
            keep = k;
        }
        return ids.subList(0, keep).stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void streamsAreDeterministicAndDistinct() {
        assertEquals(Generator.stream(42, 3).nextLong(), Generator.stream(42, 3).nextLong());
        assertNotEquals(Generator.stream(42, 3).nextLong(), Generator.stream(42, 4).nextLong());
        assertNotEquals(Generator.stream(42, 0).nextLong(), Generator.stream(43, 0).nextLong());
    }
}
