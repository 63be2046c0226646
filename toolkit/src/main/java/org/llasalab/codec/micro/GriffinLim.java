package org.llasalab.codec.micro;

import java.util.Random;
import org.llasalab.dsp.Stft;

/**
 * Phase reconstruction from an STFT magnitude: fast Griffin-Lim (Perraudin et al. 2013) — alternate
 * between the consistent spectrograms (ISTFT then STFT) and the target magnitude, with momentum on the
 * consistent estimate. The initial phase is random from a fixed seed, so decoding is deterministic.
 */
public final class GriffinLim {
    private final Stft stft;
    private final int iterations;
    private final double momentum;

    public GriffinLim(int nFft, int hop, int iterations, double momentum) {
        this.stft = new Stft(nFft, hop);
        this.iterations = iterations;
        this.momentum = momentum;
    }

    /** A waveform of {@code length} samples whose STFT magnitude approximates {@code magnitude} [frames][bins]. */
    public float[] reconstruct(float[][] magnitude, int length) {
        int frames = magnitude.length;
        int bins = stft.bins();
        Random rnd = new Random(0);
        float[][] angles = new float[frames][2 * bins];   // unit phasors
        for (float[] a : angles) {
            for (int k = 0; k < bins; k++) {
                double ph = 2 * Math.PI * rnd.nextDouble();
                a[2 * k] = (float) Math.cos(ph);
                a[2 * k + 1] = (float) Math.sin(ph);
            }
        }
        float[][] spec = new float[frames][2 * bins];
        float[][] previous = null;
        float beta = (float) (momentum / (1 + momentum));
        int signalLength = (frames - 1) * stft.hop();
        for (int it = 0; it < iterations; it++) {
            withMagnitude(magnitude, angles, spec);
            float[][] rebuilt = stft.forward(stft.inverse(spec, signalLength));
            for (int t = 0; t < frames; t++) {
                float[] r = rebuilt[t];
                float[] p = previous == null ? null : previous[t];
                float[] a = angles[t];
                for (int k = 0; k < bins; k++) {
                    float re = r[2 * k] - (p == null ? 0 : beta * p[2 * k]);
                    float im = r[2 * k + 1] - (p == null ? 0 : beta * p[2 * k + 1]);
                    float n = (float) Math.sqrt(re * re + im * im) + 1e-16f;
                    a[2 * k] = re / n;
                    a[2 * k + 1] = im / n;
                }
            }
            previous = rebuilt;
        }
        withMagnitude(magnitude, angles, spec);
        return stft.inverse(spec, length);
    }

    private static void withMagnitude(float[][] magnitude, float[][] angles, float[][] out) {
        for (int t = 0; t < magnitude.length; t++) {
            float[] m = magnitude[t];
            float[] a = angles[t];
            float[] o = out[t];
            for (int k = 0; k < m.length; k++) {
                o[2 * k] = m[k] * a[2 * k];
                o[2 * k + 1] = m[k] * a[2 * k + 1];
            }
        }
    }
}
