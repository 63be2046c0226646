package org.llasalab.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MelFilterBankTest {
    private static Map<String, Npz.Array> whisper() throws Exception {
        try (InputStream in = MelFilterBankTest.class.getResourceAsStream("/whisper/mel_filters.npz")) {
            return Npz.read(in);
        }
    }

    private static void assertMatches(Npz.Array expected, int mels) {
        assertArrayEquals(new int[] {mels, 201}, expected.shape());
        float[][] w = MelFilterBank.slaney(16000, 400, mels).weights();
        double maxDiff = 0;
        for (int m = 0; m < mels; m++) {
            for (int k = 0; k < 201; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(w[m][k] - expected.data()[m * 201 + k]));
            }
        }
        assertEquals(0, maxDiff, 1e-6, "max |difference| to Whisper's mel_" + mels);
    }

    @Test
    void matchesWhisper80() throws Exception {
        assertMatches(whisper().get("mel_80"), 80);
    }

    @Test
    void matchesWhisper128() throws Exception {
        assertMatches(whisper().get("mel_128"), 128);
    }

    @Test
    void melScaleIsLinearBelowOneKilohertzAndInvertible() {
        assertEquals(15.0, MelFilterBank.hzToMel(1000), 1e-12);
        assertEquals(7.5, MelFilterBank.hzToMel(500), 1e-12);
        for (double hz : new double[] {0, 123, 999, 1000, 4321, 8000}) {
            assertEquals(hz, MelFilterBank.melToHz(MelFilterBank.hzToMel(hz)), 1e-9);
        }
    }

    @Test
    void logMelOfToneIsLoudestInTheMatchingBand() {
        int sr = 16000;
        float[] x = new float[sr];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 2000 * i / sr));
        LogMel front = new LogMel(sr, 1024, 320, 80, false, 1e-5f);
        float[][] f = front.compute(x);
        assertEquals(1 + sr / 320, f.length);
        float[] mid = f[f.length / 2];
        int best = 0;
        for (int m = 1; m < mid.length; m++) if (mid[m] > mid[best]) best = m;
        double[] hz = {MelFilterBank.melToHz(MelFilterBank.hzToMel(8000) * best / 81.0),
                MelFilterBank.melToHz(MelFilterBank.hzToMel(8000) * (best + 2) / 81.0)};
        org.junit.jupiter.api.Assertions.assertTrue(hz[0] <= 2000 && 2000 <= hz[1],
                "band " + best + " spans " + hz[0] + "-" + hz[1] + " Hz");
    }
}
