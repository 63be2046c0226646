package org.llasalab.verifiers.onnx;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Kaldi-style log mel filter-bank features (what {@code torchaudio.compliance.kaldi.fbank} computes and
 * speaker models such as WeSpeaker's are trained on): frames of 25 ms every 10 ms without padding
 * ("snip edges"), DC offset removed, pre-emphasis 0.97, a Povey or Hamming window, zero-padded to a
 * power of two, power spectrum, triangular filters equally spaced on the mel scale
 * {@code 1127 ln(1 + f/700)} between 20 Hz and Nyquist, natural log floored at float epsilon. No dither.
 */
public final class KaldiFbank {
    /** The analysis window. */
    public enum Window { POVEY, HAMMING, HANNING }

    private static final double EPSILON = Math.ulp(1.0f); // torch.finfo(torch.float).eps
    private static final double PREEMPHASIS = 0.97;

    private final int bins;
    private final int frameLength;
    private final int frameShift;
    private final int fftSize;
    private final double[] window;
    private final double[][] filters; // [bins][fftSize / 2]
    private final int[] firstNonZero;
    private final int[] lastNonZero;

    /** 16 kHz, 25 ms frames, 10 ms shift, 20 Hz to Nyquist. */
    public KaldiFbank(int bins, Window window) {
        this(16_000, bins, 0.025, 0.010, 20.0, 0.0, window);
    }

    /** {@code highFreq <= 0} means Nyquist plus {@code highFreq}, as in Kaldi. */
    public KaldiFbank(int sampleRate, int bins, double frameSeconds, double shiftSeconds, double lowFreq,
                      double highFreq, Window windowType) {
        this.bins = bins;
        this.frameLength = (int) Math.round(sampleRate * frameSeconds);
        this.frameShift = (int) Math.round(sampleRate * shiftSeconds);
        this.fftSize = Integer.highestOneBit(frameLength - 1) << 1;
        this.window = window(windowType, frameLength);
        double nyquist = sampleRate / 2.0;
        double high = highFreq <= 0 ? nyquist + highFreq : highFreq;
        if (lowFreq < 0 || high <= lowFreq || high > nyquist) {
            throw new IllegalArgumentException("bad fbank frequency range " + lowFreq + ".." + high + " Hz");
        }
        double melLow = mel(lowFreq);
        double melHigh = mel(high);
        double delta = (melHigh - melLow) / (bins + 1);
        double binWidth = sampleRate / (double) fftSize;
        int half = fftSize / 2;
        filters = new double[bins][half];
        firstNonZero = new int[bins];
        lastNonZero = new int[bins];
        for (int b = 0; b < bins; b++) {
            double left = melLow + b * delta;
            double center = left + delta;
            double right = center + delta;
            firstNonZero[b] = half;
            lastNonZero[b] = -1;
            for (int k = 0; k < half; k++) {
                double m = mel(binWidth * k);
                double weight = Math.max(0, Math.min((m - left) / (center - left), (right - m) / (right - center)));
                filters[b][k] = weight;
                if (weight > 0) {
                    firstNonZero[b] = Math.min(firstNonZero[b], k);
                    lastNonZero[b] = k;
                }
            }
        }
    }

    static double mel(double hz) {
        return 1127.0 * Math.log(1.0 + hz / 700.0);
    }

    private static double[] window(Window type, int n) {
        double[] w = new double[n];
        double a = 2 * Math.PI / (n - 1);
        for (int i = 0; i < n; i++) {
            w[i] = switch (type) {
                case POVEY -> Math.pow(0.5 - 0.5 * Math.cos(a * i), 0.85);
                case HAMMING -> 0.54 - 0.46 * Math.cos(a * i);
                case HANNING -> 0.5 - 0.5 * Math.cos(a * i);
            };
        }
        return w;
    }

    public int bins() {
        return bins;
    }

    /** Number of frames for {@code samples} samples (0 when shorter than one frame). */
    public int frames(int samples) {
        return samples < frameLength ? 0 : 1 + (samples - frameLength) / frameShift;
    }

    /** Features [frames][bins] of a waveform already scaled as the model expects. */
    public float[][] compute(float[] wave) {
        int frames = frames(wave.length);
        float[][] out = new float[frames][bins];
        DoubleFFT_1D fft = new DoubleFFT_1D(fftSize);
        double[] buf = new double[fftSize];
        double[] power = new double[fftSize / 2];
        for (int f = 0; f < frames; f++) {
            int start = f * frameShift;
            double mean = 0;
            for (int i = 0; i < frameLength; i++) mean += wave[start + i];
            mean /= frameLength;
            java.util.Arrays.fill(buf, 0);
            for (int i = 0; i < frameLength; i++) buf[i] = wave[start + i] - mean;
            for (int i = frameLength - 1; i > 0; i--) buf[i] -= PREEMPHASIS * buf[i - 1];
            buf[0] -= PREEMPHASIS * buf[0];
            for (int i = 0; i < frameLength; i++) buf[i] *= window[i];
            fft.realForward(buf);
            // realForward packs: buf[0] = Re[0], buf[1] = Re[n/2], then (Re[k], Im[k]) pairs.
            power[0] = buf[0] * buf[0];
            for (int k = 1; k < fftSize / 2; k++) {
                power[k] = buf[2 * k] * buf[2 * k] + buf[2 * k + 1] * buf[2 * k + 1];
            }
            for (int b = 0; b < bins; b++) {
                double e = 0;
                double[] filter = filters[b];
                for (int k = firstNonZero[b]; k <= lastNonZero[b]; k++) e += filter[k] * power[k];
                out[f][b] = (float) Math.log(Math.max(e, EPSILON));
            }
        }
        return out;
    }

    /** Subtracts each bin's mean over the utterance (cepstral mean normalisation), in place. */
    public static void subtractMean(float[][] feats) {
        if (feats.length == 0) return;
        int bins = feats[0].length;
        for (int b = 0; b < bins; b++) {
            double mean = 0;
            for (float[] frame : feats) mean += frame[b];
            mean /= feats.length;
            for (float[] frame : feats) frame[b] = (float) (frame[b] - mean);
        }
    }
}
