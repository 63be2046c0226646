package org.llasalab.dsp;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Short-time Fourier transform with a periodic Hann window, centred frames (the signal is reflected
 * by n_fft / 2 at both ends, as in librosa and torch.stft with center=True), and its inverse by
 * weighted overlap-add. Frame t covers samples [t*hop - n_fft/2, t*hop + n_fft/2); a signal of N
 * samples has 1 + N / hop frames. Spectra are stored as interleaved (re, im) pairs, n_fft / 2 + 1 bins.
 *
 * <p>Instances are not thread-safe (they hold FFT scratch); make one per thread.
 */
public final class Stft {
    private final int nFft;
    private final int hop;
    private final float[] window;
    private final FloatFFT_1D fft;
    private final float[] frame;

    public Stft(int nFft, int hop) {
        if (nFft < 2 || hop < 1 || hop > nFft) {
            throw new IllegalArgumentException("bad STFT size: n_fft " + nFft + ", hop " + hop);
        }
        this.nFft = nFft;
        this.hop = hop;
        this.window = hann(nFft);
        this.fft = new FloatFFT_1D(nFft);
        this.frame = new float[nFft];
    }

    /** Periodic Hann window of length n (as torch.hann_window(n)). */
    public static float[] hann(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        }
        return w;
    }

    public int nFft() { return nFft; }

    public int hop() { return hop; }

    public int bins() { return nFft / 2 + 1; }

    public int frames(int samples) { return 1 + samples / hop; }

    /** Complex spectra [frames][2 * bins] (re, im interleaved). */
    public float[][] forward(float[] x) {
        int frames = frames(x.length);
        float[][] out = new float[frames][];
        for (int t = 0; t < frames; t++) {
            out[t] = forwardFrame(x, t * hop - nFft / 2);
        }
        return out;
    }

    /** Magnitudes [frames][bins]. */
    public float[][] magnitude(float[] x) {
        float[][] spec = forward(x);
        float[][] mag = new float[spec.length][bins()];
        for (int t = 0; t < spec.length; t++) {
            for (int k = 0; k < bins(); k++) {
                float re = spec[t][2 * k];
                float im = spec[t][2 * k + 1];
                mag[t][k] = (float) Math.sqrt(re * re + im * im);
            }
        }
        return mag;
    }

    private float[] forwardFrame(float[] x, int start) {
        for (int i = 0; i < nFft; i++) {
            frame[i] = sampleReflected(x, start + i) * window[i];
        }
        fft.realForward(frame);
        // JTransforms packs: a[0] = Re[0], a[1] = Re[n/2] (n even), then (Re, Im) pairs.
        float[] spec = new float[2 * bins()];
        spec[0] = frame[0];
        spec[1] = 0;
        for (int k = 1; k < nFft / 2; k++) {
            spec[2 * k] = frame[2 * k];
            spec[2 * k + 1] = frame[2 * k + 1];
        }
        if (nFft % 2 == 0) {
            spec[2 * (nFft / 2)] = frame[1];
            spec[2 * (nFft / 2) + 1] = 0;
        } else {
            spec[2 * (nFft / 2)] = frame[nFft - 1];
            spec[2 * (nFft / 2) + 1] = frame[1];
        }
        return spec;
    }

    private static float sampleReflected(float[] x, int i) {
        int n = x.length;
        if (n == 0) return 0f; // an empty signal is silence (one all-zero frame)
        if (n == 1) return x[0];
        int period = 2 * (n - 1);
        int j = Math.floorMod(i, period);
        return x[j < n ? j : period - j];
    }

    /**
     * Inverse STFT by overlap-add of windowed inverse frames, divided by the summed squared window;
     * returns {@code length} samples. Inverts {@link #forward} exactly (to rounding) for hop <= n_fft / 2.
     */
    public float[] inverse(float[][] spectra, int length) {
        int frames = spectra.length;
        int padded = (frames - 1) * hop + nFft;
        double[] sum = new double[padded];
        double[] norm = new double[padded];
        for (int t = 0; t < frames; t++) {
            inverseFrame(spectra[t]);
            int off = t * hop;
            for (int i = 0; i < nFft; i++) {
                sum[off + i] += frame[i] * window[i];
                norm[off + i] += window[i] * window[i];
            }
        }
        float[] y = new float[length];
        int shift = nFft / 2;
        for (int i = 0; i < length && i + shift < padded; i++) {
            double w = norm[i + shift];
            y[i] = w > 1e-8 ? (float) (sum[i + shift] / w) : 0f;
        }
        return y;
    }

    private void inverseFrame(float[] spec) {
        frame[0] = spec[0];
        for (int k = 1; k < nFft / 2; k++) {
            frame[2 * k] = spec[2 * k];
            frame[2 * k + 1] = spec[2 * k + 1];
        }
        if (nFft % 2 == 0) {
            frame[1] = spec[2 * (nFft / 2)];
        } else {
            frame[nFft - 1] = spec[2 * (nFft / 2)];
            frame[1] = spec[2 * (nFft / 2) + 1];
        }
        fft.realInverse(frame, true);
    }
}
