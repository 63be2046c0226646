package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.llasalab.lm.SamplingParams;

class SpeechSamplerTest {
    // vocab 10: ids 0..5 text, 6 end, 7..9 speech codes 0..2
    private static final SpeechTokens SPEECH = new SpeechTokens(7, 3, 6);

    private static float[] logits(float... speechAndEnd) {
        float[] l = new float[10];
        Arrays.fill(l, 0, 6, 50f); // text ids are the most likely: the mask must exclude them
        l[7] = speechAndEnd[0];
        l[8] = speechAndEnd[1];
        l[9] = speechAndEnd[2];
        l[6] = speechAndEnd[3];
        return l;
    }

    @Test
    void greedyTakesTheBestSpeechTokenOrEndAndReportsItsRenormalisedLogProb() {
        SpeechSampler s = new SpeechSampler(SPEECH, SamplingParams.GREEDY);
        SpeechSampler.Draw d = s.draw(logits(1, 3, 2, 0), null, new SplittableRandom(1));
        assertEquals(8, d.token());
        double norm = Math.log(Math.exp(1) + Math.exp(3) + Math.exp(2) + Math.exp(0));
        assertEquals(3 - norm, d.rawLogProb(), 1e-9);
        assertEquals(6, s.draw(logits(1, 3, 2, 4), null, new SplittableRandom(1)).token());
    }

    @Test
    void samplesInProportionToTheTemperedSoftmaxAndNeverOutsideTheMask() {
        SpeechSampler s = new SpeechSampler(SPEECH, new SamplingParams(1.0, 0, 1.0, 0, 1.0));
        float[] l = logits(0, (float) Math.log(3), -1e9f, -1e9f); // p = 0.25, 0.75
        SplittableRandom rng = new SplittableRandom(3);
        int[] counts = new int[10];
        for (int i = 0; i < 20_000; i++) counts[s.draw(l, null, rng).token()]++;
        assertEquals(0, Arrays.stream(counts, 0, 6).sum());
        assertEquals(0.25, counts[7] / 20_000.0, 0.015);
        assertEquals(0.75, counts[8] / 20_000.0, 0.015);
        // temperature 0.5 squares the odds: 1 : 9
        SpeechSampler cold = new SpeechSampler(SPEECH, new SamplingParams(0.5, 0, 1.0, 0, 1.0));
        Arrays.fill(counts, 0);
        for (int i = 0; i < 20_000; i++) counts[cold.draw(l, null, rng).token()]++;
        assertEquals(0.1, counts[7] / 20_000.0, 0.012);
    }

    @Test
    void topKTopPAndMinPKeepOnlyTheHead() {
        float[] l = logits(2, 1.9f, 1.8f, 1.7f);
        SplittableRandom rng = new SplittableRandom(5);
        SpeechSampler topK = new SpeechSampler(SPEECH, new SamplingParams(1.0, 1, 1.0, 0, 1.0));
        SpeechSampler topP = new SpeechSampler(SPEECH, new SamplingParams(1.0, 0, 0.2, 0, 1.0));
        SpeechSampler minP = new SpeechSampler(SPEECH, new SamplingParams(1.0, 0, 1.0, 0.87, 1.0));
        for (int i = 0; i < 200; i++) {
            assertEquals(7, topK.draw(l, null, rng).token());
            assertEquals(7, topP.draw(l, null, rng).token());
            int m = minP.draw(l, null, rng).token(); // exp(-0.1) = 0.905 >= 0.87 > exp(-0.2) = 0.819
            assertTrue(m == 7 || m == 8, "min_p kept " + m);
        }
    }

    @Test
    void repetitionPenaltyDemotesTokensAlreadySeen() {
        BitSet seen = new BitSet();
        seen.set(7);
        SpeechSampler s = new SpeechSampler(SPEECH, new SamplingParams(0, 0, 1.0, 0, 2.0));
        assertEquals(8, s.draw(logits(3, 2, 0, -5), seen, new SplittableRandom(1)).token());
        assertEquals(7, s.draw(logits(3, 2, 0, -5), new BitSet(), new SplittableRandom(1)).token());
    }
}
