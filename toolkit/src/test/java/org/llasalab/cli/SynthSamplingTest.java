package org.llasalab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.llasalab.lm.SamplingParams;
import org.llasalab.search.SpeechTokens;

/** The plain sampler of {@code synth}: only speech tokens and the end marker, temperature and top-p. */
class SynthSamplingTest {
    // ids: 0..9 text, 10 = end marker, 12..15 = speech codes 0..3
    private static final SpeechTokens SPEECH = new SpeechTokens(12, 4, 10);

    private static float[] logits() {
        float[] l = new float[16];
        l[3] = 100f;          // a text token: never drawn
        l[12] = 1f;
        l[13] = 3f;           // code 1: the most likely speech token
        l[14] = 0f;
        l[15] = -1f;
        l[10] = 2f;           // end marker
        return l;
    }

    @Test
    void greedyAndTinyTopPPickTheBestSpeechToken() {
        SplittableRandom rng = new SplittableRandom(1);
        assertEquals(13, SynthCommand.drawSpeechToken(logits(), SPEECH, SamplingParams.GREEDY, rng));
        assertEquals(13, SynthCommand.drawSpeechToken(logits(), SPEECH, new SamplingParams(1, 0, 0.01, 0, 1), rng));
    }

    @Test
    void samplingFollowsTheRenormalisedDistribution() {
        SplittableRandom rng = new SplittableRandom(42);
        int[] counts = new int[16];
        int n = 20000;
        for (int i = 0; i < n; i++) counts[SynthCommand.drawSpeechToken(logits(), SPEECH, new SamplingParams(1, 0, 1, 0, 1), rng)]++;
        assertEquals(0, counts[3]);
        double z = Math.exp(1) + Math.exp(3) + Math.exp(0) + Math.exp(-1) + Math.exp(2);
        assertEquals(Math.exp(3) / z, counts[13] / (double) n, 0.02);
        assertEquals(Math.exp(2) / z, counts[10] / (double) n, 0.02);
        // top-p 0.9 keeps code 1, the end marker and code 0 (0.66 + 0.24 + 0.09 >= 0.9) and drops the rest
        int[] top = new int[16];
        for (int i = 0; i < n; i++) top[SynthCommand.drawSpeechToken(logits(), SPEECH, new SamplingParams(1, 0, 0.9, 0, 1), rng)]++;
        assertEquals(0, top[14] + top[15]);
        assertTrue(top[12] > 0 && top[10] > 0 && top[13] > 0);
    }
}
