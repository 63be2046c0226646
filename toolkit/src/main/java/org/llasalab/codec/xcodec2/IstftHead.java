package org.llasalab.codec.xcodec2;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Vocos-style ISTFT head: per frame, log-magnitudes and phases of n_fft/2+1 bins; magnitude = exp, clipped
 * at 100; inverse real FFT (1/N scaling), periodic Hann window, overlap-add with hop, "same" padding
 * ((n_fft - hop)/2 cut from both ends, so frames x hop samples), divided by the summed squared window.
 */
final class IstftHead {
    private final int nFft;
    private final int hop;
    private final float[] window;

    IstftHead(int nFft, int hop) {
        this.nFft = nFft;
        this.hop = hop;
        this.window = new float[nFft];
        for (int n = 0; n < nFft; n++) {
            window[n] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * n / nFft));
        }
    }

    /** {@code spec} is [frames, nFft + 2]: bins' log-magnitudes then bins' phases; returns frames x hop samples. */
    float[] synthesize(float[] spec, int frames) {
        int bins = nFft / 2 + 1;
        int width = nFft + 2;
        int outputSize = (frames - 1) * hop + nFft;
        float[] audio = new float[outputSize];
        float[] envelope = new float[outputSize];
        float[] buf = new float[nFft];
        FloatFFT_1D fft = new FloatFFT_1D(nFft);
        for (int f = 0; f < frames; f++) {
            int row = f * width;
            for (int k = 0; k < bins; k++) {
                float mag = Math.min((float) Math.exp(spec[row + k]), 100f);
                float phase = spec[row + bins + k];
                float re = mag * (float) Math.cos(phase);
                float im = mag * (float) Math.sin(phase);
                if (k == 0) {
                    buf[0] = re; // the imaginary parts of DC and Nyquist do not enter a real signal
                } else if (k == nFft / 2) {
                    buf[1] = re;
                } else {
                    buf[2 * k] = re;
                    buf[2 * k + 1] = im;
                }
            }
            fft.realInverse(buf, true);
            int start = f * hop;
            for (int n = 0; n < nFft; n++) {
                audio[start + n] += buf[n] * window[n];
                envelope[start + n] += window[n] * window[n];
            }
        }
        int pad = (nFft - hop) / 2;
        float[] out = new float[frames * hop];
        for (int i = 0; i < out.length; i++) {
            out[i] = audio[pad + i] / Math.max(envelope[pad + i], 1e-11f);
        }
        return out;
    }
}
