package org.llasalab.dsp;

/**
 * Triangular mel filters on the Slaney mel scale (linear below 1 kHz, logarithmic above) with Slaney
 * area normalisation (each filter scaled by 2 / its bandwidth in Hz): the filters of librosa's
 * {@code filters.mel(htk=False, norm="slaney")} and of Whisper's {@code mel_filters.npz}.
 */
public final class MelFilterBank {
    private static final double F_SP = 200.0 / 3;          // Hz per mel below the break
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    private final float[][] weights;   // [mels][bins]
    private final int sampleRate;
    private final int nFft;

    private MelFilterBank(float[][] weights, int sampleRate, int nFft) {
        this.weights = weights;
        this.sampleRate = sampleRate;
        this.nFft = nFft;
    }

    /** Filters from 0 Hz to the Nyquist frequency. */
    public static MelFilterBank slaney(int sampleRate, int nFft, int mels) {
        return slaney(sampleRate, nFft, mels, 0, sampleRate / 2.0);
    }

    public static MelFilterBank slaney(int sampleRate, int nFft, int mels, double fMin, double fMax) {
        if (mels < 1 || nFft < 2 || fMax <= fMin) {
            throw new IllegalArgumentException("bad mel filter bank: " + mels + " mels, n_fft " + nFft
                    + ", " + fMin + "-" + fMax + " Hz");
        }
        int bins = nFft / 2 + 1;
        double[] fftFreqs = new double[bins];
        for (int k = 0; k < bins; k++) {
            fftFreqs[k] = (double) k * sampleRate / nFft;
        }
        double melMin = hzToMel(fMin);
        double melMax = hzToMel(fMax);
        double[] edges = new double[mels + 2];
        for (int i = 0; i < mels + 2; i++) {
            edges[i] = melToHz(melMin + (melMax - melMin) * i / (mels + 1));
        }
        float[][] w = new float[mels][bins];
        for (int m = 0; m < mels; m++) {
            double lowWidth = edges[m + 1] - edges[m];
            double highWidth = edges[m + 2] - edges[m + 1];
            double norm = 2.0 / (edges[m + 2] - edges[m]);
            for (int k = 0; k < bins; k++) {
                double rising = (fftFreqs[k] - edges[m]) / lowWidth;
                double falling = (edges[m + 2] - fftFreqs[k]) / highWidth;
                w[m][k] = (float) (Math.max(0, Math.min(rising, falling)) * norm);
            }
        }
        return new MelFilterBank(w, sampleRate, nFft);
    }

    public static double hzToMel(double hz) {
        return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
    }

    public static double melToHz(double mel) {
        return mel < MIN_LOG_MEL ? mel * F_SP : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
    }

    public int mels() { return weights.length; }

    public int bins() { return weights[0].length; }

    public int sampleRate() { return sampleRate; }

    public int nFft() { return nFft; }

    /** A copy of the weights [mels][bins]. */
    public float[][] weights() {
        float[][] copy = new float[weights.length][];
        for (int m = 0; m < weights.length; m++) copy[m] = weights[m].clone();
        return copy;
    }

    /** Mel energies of one spectrum (power or magnitude, as given). */
    public float[] apply(float[] spectrum) {
        float[] out = new float[weights.length];
        for (int m = 0; m < weights.length; m++) {
            float[] wm = weights[m];
            double s = 0;
            for (int k = 0; k < wm.length; k++) {
                if (wm[k] != 0) s += wm[k] * spectrum[k];
            }
            out[m] = (float) s;
        }
        return out;
    }
}
