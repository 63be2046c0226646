package org.llasalab.dsp;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Kaldi-style log mel filter-bank features, as Kaldi's {@code compute-fbank-feats} and torchaudio's
 * {@code compliance.kaldi.fbank} compute them with these options: frames of {@code frameLength} samples
 * every {@code frameShift} ("snip edges": only whole frames, the first starting at sample 0), per frame
 * the DC offset removed, pre-emphasis 0.97 (the first sample emphasised against itself), a window (Kaldi's
 * default Povey: Hann to the power 0.85; Hamming or Hann as speaker models' recipes choose), zero padding to the next power of two, the power spectrum, triangular mel
 * filters spaced evenly on Kaldi's mel scale {@code 1127 ln(1 + f / 700)} between {@code lowHz} and
 * {@code highHz} (the Nyquist bin weighs 0), and the natural log floored at float epsilon. No dither, no
 * energy term. The SeamlessM4T / w2v-BERT 2.0 front end uses 80 bins, 400 / 160 samples at 16 kHz,
 * 20 Hz .. 8 kHz on audio scaled to the 16-bit range; speaker models (WeSpeaker) 80 bins, Hamming, with
 * the utterance mean subtracted ({@link #subtractMean}).
 */
public final class KaldiFbank {
    /** The analysis window. */
    public enum Window { POVEY, HAMMING, HANNING }

    /** Float32 machine epsilon: Kaldi's floor before the log. */
    private static final double EPSILON = Math.ulp(1.0f);
    private static final double PREEMPHASIS = 0.97;

    private final int frameLength;
    private final int frameShift;
    private final int paddedLength;
    private final double[] window;
    /** [bins][paddedLength / 2] filter weights. */
    private final double[][] filters;
    private final DoubleFFT_1D fft;

    /** Povey-windowed features. */
    public KaldiFbank(int sampleRate, int frameLength, int frameShift, int bins, double lowHz, double highHz) {
        this(sampleRate, frameLength, frameShift, bins, lowHz, highHz, Window.POVEY);
    }

    public KaldiFbank(int sampleRate, int frameLength, int frameShift, int bins, double lowHz, double highHz,
                      Window windowType) {
        if (frameLength <= 0 || frameShift <= 0 || bins <= 0 || !(lowHz >= 0 && highHz > lowHz && highHz <= sampleRate / 2.0)) {
            throw new IllegalArgumentException("bad fbank options: frame " + frameLength + "/" + frameShift + ", bins "
                    + bins + ", " + lowHz + ".." + highHz + " Hz at " + sampleRate + " Hz");
        }
        this.frameLength = frameLength;
        this.frameShift = frameShift;
        this.paddedLength = Integer.highestOneBit(frameLength - 1) << 1;
        this.window = new double[frameLength];
        for (int i = 0; i < frameLength; i++) {
            double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (frameLength - 1));
            window[i] = switch (windowType) {
                case POVEY -> Math.pow(hann, 0.85);
                case HAMMING -> 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (frameLength - 1));
                case HANNING -> hann;
            };
        }
        int fftBins = paddedLength / 2;
        double binHz = sampleRate / (double) paddedLength;
        double melLow = mel(lowHz);
        double melHigh = mel(highHz);
        double delta = (melHigh - melLow) / (bins + 1);
        this.filters = new double[bins][fftBins];
        for (int b = 0; b < bins; b++) {
            double left = melLow + b * delta;
            double centre = left + delta;
            double right = centre + delta;
            for (int k = 0; k < fftBins; k++) {
                double m = mel(binHz * k);
                double up = (m - left) / (centre - left);
                double down = (right - m) / (right - centre);
                filters[b][k] = Math.max(0, Math.min(up, down));
            }
        }
        this.fft = new DoubleFFT_1D(paddedLength);
    }

    /** The w2v-BERT 2.0 / SeamlessM4T front end at 16 kHz: 80 bins, 25 ms frames every 10 ms, 20 Hz .. 8 kHz. */
    public static KaldiFbank w2vBert() {
        return new KaldiFbank(16000, 400, 160, 80, 20, 8000);
    }

    /** 16 kHz, 25 ms frames every 10 ms, 20 Hz .. 8 kHz: the Kaldi defaults speaker models are trained on. */
    public static KaldiFbank at16k(int bins, Window window) {
        return new KaldiFbank(16000, 400, 160, bins, 20, 8000, window);
    }

    static double mel(double hz) {
        return 1127.0 * Math.log(1 + hz / 700.0);
    }

    public int bins() {
        return filters.length;
    }

    /** Whole frames in {@code samples} samples (0 when shorter than one frame). */
    public int frames(int samples) {
        return samples < frameLength ? 0 : 1 + (samples - frameLength) / frameShift;
    }

    /** Log mel energies [frames][bins] of {@code x} (row-major), {@code x} being multiplied by {@code scale} first. */
    public float[] compute(float[] x, double scale) {
        int frames = frames(x.length);
        int bins = bins();
        float[] out = new float[frames * bins];
        double[] buf = new double[paddedLength];
        double[] power = new double[paddedLength / 2];
        for (int f = 0; f < frames; f++) {
            int start = f * frameShift;
            double mean = 0;
            for (int i = 0; i < frameLength; i++) mean += x[start + i] * scale;
            mean /= frameLength;
            java.util.Arrays.fill(buf, 0);
            for (int i = 0; i < frameLength; i++) buf[i] = x[start + i] * scale - mean;
            for (int i = frameLength - 1; i > 0; i--) buf[i] -= PREEMPHASIS * buf[i - 1];
            buf[0] -= PREEMPHASIS * buf[0];
            for (int i = 0; i < frameLength; i++) buf[i] *= window[i];
            fft.realForward(buf);
            // packed: buf[0] = Re[0], buf[1] = Re[n/2], then (Re, Im) pairs; the Nyquist bin has no filter weight
            power[0] = buf[0] * buf[0];
            for (int k = 1; k < power.length; k++) power[k] = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
            for (int b = 0; b < bins; b++) {
                double e = 0;
                double[] w = filters[b];
                for (int k = 0; k < power.length; k++) e += w[k] * power[k];
                out[f * bins + b] = (float) Math.log(Math.max(e, EPSILON));
            }
        }
        return out;
    }

    /** Subtracts each bin's mean over the frames (cepstral mean normalisation) from [frames][bins] {@code feats}, in place. */
    public static void subtractMean(float[] feats, int bins) {
        int frames = feats.length / bins;
        if (frames == 0) return;
        for (int b = 0; b < bins; b++) {
            double mean = 0;
            for (int f = 0; f < frames; f++) mean += feats[f * bins + b];
            mean /= frames;
            for (int f = 0; f < frames; f++) feats[f * bins + b] = (float) (feats[f * bins + b] - mean);
        }
    }
}
