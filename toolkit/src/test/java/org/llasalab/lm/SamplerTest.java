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
    void streamsAreDeterministicAndDistinct() {
        assertEquals(Generator.stream(42, 3).nextLong(), Generator.stream(42, 3).nextLong());
        assertNotEquals(Generator.stream(42, 3).nextLong(), Generator.stream(42, 4).nextLong());
        assertNotEquals(Generator.stream(42, 0).nextLong(), Generator.stream(43, 0).nextLong());
    }
}
