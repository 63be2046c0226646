package org.llasalab.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResamplerTest {
    private static float[] tone(double hz, int rate, double seconds, double amplitude) {
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    /** Amplitude and frequency of the sinusoid best fitting the middle of y (least squares on a grid). */
    private static double[] fit(float[] y, int rate, double lo, double hi) {
        int from = y.length / 4;
        int to = 3 * y.length / 4;
        double bestHz = lo;
        double bestAmp = -1;
        for (int step = 0; step <= 2000; step++) {
            double hz = lo + (hi - lo) * step / 2000;
            double[] a = amplitudeAt(y, rate, hz, from, to);
            if (a[0] > bestAmp) {
                bestAmp = a[0];
                bestHz = hz;
            }
        }
        return new double[] {bestHz, bestAmp};
    }

    private static double[] amplitudeAt(float[] y, int rate, double hz, int from, int to) {
        double c = 0;
        double s = 0;
        for (int i = from; i < to; i++) {
            double ph = 2 * Math.PI * hz * i / rate;
            c += y[i] * Math.cos(ph);
            s += y[i] * Math.sin(ph);
        }
        return new double[] {2 * Math.hypot(c, s) / (to - from)};
    }

    private static double rms(float[] y) {
        double s = 0;
        for (int i = y.length / 4; i < 3 * y.length / 4; i++) s += y[i] * y[i];
        return Math.sqrt(s / (y.length / 2));
    }

    @Test
    void oneKilohertzKeepsFrequencyAndLevel() {
        float[] x = tone(1000, 44100, 1.0, 0.5);
        float[] y = Resampler.of(44100, 16000).process(x);
        assertEquals(16000, y.length);
        double[] f = fit(y, 16000, 990, 1010);
        assertEquals(1000, f[0], 0.1, "frequency");
        double levelDb = 20 * Math.log10(f[1] / 0.5);
        assertEquals(0, levelDb, 0.1, "level change in dB");
        assertEquals(0, 20 * Math.log10(rms(y) / (0.5 / Math.sqrt(2))), 0.1, "RMS level change in dB");
    }

    @Test
    void tenKilohertzIsRemovedWhenDownsamplingTo16k() {
        float[] x = tone(10000, 44100, 1.0, 0.5);
        float[] y = Resampler.of(44100, 16000).process(x);
        double attenuationDb = 20 * Math.log10(rms(y) / (0.5 / Math.sqrt(2)));
        assertTrue(attenuationDb <= -60, "10 kHz attenuated by only " + (-attenuationDb) + " dB");
    }

    @Test
    void espeakRateAndUpsamplingWork() {
        float[] x = tone(440, 22050, 0.5, 0.3);
        Audio y = Resampler.resample(new Audio(x, 22050), 16000);
        assertEquals(8000, y.samples().length);
        assertEquals(440, fit(y.samples(), 16000, 435, 445)[0], 0.1);
        float[] up = Resampler.of(16000, 48000).process(y.samples());
        assertEquals(24000, up.length);
        assertEquals(0, 20 * Math.log10(rms(up) / (0.3 / Math.sqrt(2))), 0.1);
    }

    @Test
    void sameRateIsIdentity() {
        Audio a = new Audio(tone(100, 16000, 0.1, 0.1), 16000);
        assertTrue(a == Resampler.resample(a, 16000));
    }
}
