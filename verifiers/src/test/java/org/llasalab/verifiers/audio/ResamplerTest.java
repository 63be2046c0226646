package org.llasalab.verifiers.audio;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {
    private static float[] sine(double hz, int rate, double seconds) {
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    /** Correlation with a reference sine at the target rate, over the middle (away from the edges). */
    private static double amplitudeAt(float[] y, double hz, int rate) {
        double s = 0, c = 0;
        int from = y.length / 4, to = 3 * y.length / 4;
        for (int i = from; i < to; i++) {
            s += y[i] * Math.sin(2 * Math.PI * hz * i / rate);
            c += y[i] * Math.cos(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.hypot(s, c) / (to - from);
    }

    @ParameterizedTest
    @CsvSource({"8000, 1000", "22050, 440", "44100, 3000", "48000, 7000", "24000, 5000"})
    void keepsInBandSinesAt16k(int rate, double hz) {
        float[] y = Resampler.resample(sine(hz, rate, 0.5), rate, 16_000);
        assertEquals(8000, y.length, 1);
        assertEquals(0.5, amplitudeAt(y, hz, 16_000), 0.01, "amplitude of " + hz + " Hz");
    }

    @ParameterizedTest
    @CsvSource({"44100, 12000", "48000, 9000"})
    void removesWhatWouldAlias(int rate, double hz) {
        float[] y = Resampler.resample(sine(hz, rate, 0.5), rate, 16_000);
        double alias = 16_000 - hz; // where the tone would fold to
        assertTrue(amplitudeAt(y, alias, 16_000) < 0.005, "aliased energy at " + alias + " Hz");
        double rms = 0;
        for (int i = y.length / 4; i < 3 * y.length / 4; i++) rms += y[i] * y[i];
        assertTrue(Math.sqrt(rms / (y.length / 2.0)) < 0.01, "out-of-band tone is filtered");
    }
}
