package org.llasalab.codec.micro;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.jtransforms.fft.FloatFFT_1D;
import org.llasalab.dsp.Stft;

/**
 * Phase reconstruction from an STFT magnitude: fast Griffin-Lim (Perraudin et al. 2013). Each
 * iteration projects the current complex spectrogram onto the consistent ones (inverse STFT by
 * weighted overlap-add, then STFT), extrapolates with momentum, and keeps only the phase, which is
 * combined with the target magnitude. The initial phase is random from a fixed seed, so decoding is
 * deterministic.
 *
 * <p>Frames are centred as in {@link Stft} (frame t is centred on sample t * hop); the iterations
 * work on the signal extended by n_fft / 2 at both ends, which is trimmed at the end. Spectra are kept
 * in JTransforms' packed real-FFT layout ({@code a[0]} = Re X_0, {@code a[1]} = Re X_{n/2},
 * {@code a[2k], a[2k+1]} = Re, Im X_k) to avoid conversions.
 */
public final class GriffinLim {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(SPECIES, i -> i ^ 1);
    private final int nFft;
    private final int hop;
    private final int iterations;
    private final float beta;
    private final float[] window;
    private final FloatFFT_1D fft;

    public GriffinLim(int nFft, int hop, int iterations, double momentum) {
        if (nFft % SPECIES.length() != 0) {
            throw new IllegalArgumentException("n_fft must be a multiple of " + SPECIES.length() + ": " + nFft);
        }
        this.nFft = nFft;
        this.hop = hop;
        this.iterations = iterations;
        this.beta = (float) (momentum / (1 + momentum));
        this.window = Stft.hann(nFft);
        this.fft = new FloatFFT_1D(nFft);
    }

    /** A waveform of {@code length} samples whose STFT magnitude approximates {@code magnitude} [frames][n_fft/2+1]. */
    public float[] reconstruct(float[][] magnitude, int length) {
        int frames = magnitude.length;
        int half = nFft / 2;
        int padded = (frames - 1) * hop + nFft;
        float[] inverseNorm = new float[padded];
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < nFft; i++) inverseNorm[t * hop + i] += window[i] * window[i];
        }
        for (int i = 0; i < padded; i++) inverseNorm[i] = inverseNorm[i] > 1e-8f ? 1f / inverseNorm[i] : 0f;

        float[][] mag = new float[frames][nFft];   // target magnitude in packed layout (both slots of a bin)
        float[][] phase = new float[frames][nFft]; // unit phasors, packed
        Random rnd = new Random(0);
        for (int t = 0; t < frames; t++) {
            float[] m = magnitude[t];
            mag[t][0] = m[0];
            mag[t][1] = m[half];
            phase[t][0] = 1;
            phase[t][1] = 1;
            for (int k = 1; k < half; k++) {
                mag[t][2 * k] = m[k];
                mag[t][2 * k + 1] = m[k];
                double ph = 2 * Math.PI * rnd.nextDouble();
                phase[t][2 * k] = (float) Math.cos(ph);
                phase[t][2 * k + 1] = (float) Math.sin(ph);
            }
        }
        float[][] previous = new float[frames][nFft];
        float[] signal = new float[padded];
        float[] frame = new float[nFft];
        for (int it = 0; it < iterations; it++) {
            overlapAdd(mag, phase, signal, inverseNorm, frame);
            float b = it == 0 ? 0f : beta;
            for (int t = 0; t < frames; t++) {
                int off = t * hop;
                for (int i = 0; i < nFft; i += SPECIES.length()) {
                    FloatVector.fromArray(SPECIES, signal, off + i).mul(FloatVector.fromArray(SPECIES, window, i)).intoArray(frame, i);
                }
                fft.realForward(frame);
                float[] prev = previous[t];
                float[] p = phase[t];
                // Real bins 0 and n/2: the phase is a sign.
                for (int k = 0; k < 2; k++) {
                    float v = frame[k] - b * prev[k];
                    p[k] = v >= 0 ? 1f : -1f;
                }
                updatePhase(frame, prev, p, b);
                System.arraycopy(frame, 0, prev, 0, nFft);
            }
        }
        overlapAdd(mag, phase, signal, inverseNorm, frame);
        float[] out = new float[length];
        System.arraycopy(signal, half, out, 0, Math.min(length, padded - half));
        return out;
    }

    /**
     * Complex bins 1..n/2-1: phase of (rebuilt - b * previous). Vectorised over interleaved (re, im)
     * pairs: the squared modulus of each pair is summed with its neighbour lane, then both lanes are
     * divided by the modulus.
     */
    private static void updatePhase(float[] rebuilt, float[] prev, float[] phase, float b) {
        int n = rebuilt.length;
        int lanes = SPECIES.length();
        int k = 2;
        for (; k + lanes <= n; k += lanes) {
            FloatVector v = FloatVector.fromArray(SPECIES, rebuilt, k).sub(FloatVector.fromArray(SPECIES, prev, k).mul(b));
            FloatVector sq = v.mul(v);
            FloatVector pairSum = sq.add(sq.rearrange(SWAP_PAIRS));
            v.div(pairSum.sqrt().add(1e-16f)).intoArray(phase, k);
        }
        for (; k < n; k += 2) {
            float re = rebuilt[k] - b * prev[k];
            float im = rebuilt[k + 1] - b * prev[k + 1];
            float inv = 1f / ((float) Math.sqrt(re * re + im * im) + 1e-16f);
            phase[k] = re * inv;
            phase[k + 1] = im * inv;
        }
    }

    /** signal = inverse STFT of mag * phase (weighted overlap-add). */
    private void overlapAdd(float[][] mag, float[][] phase, float[] signal, float[] inverseNorm, float[] frame) {
        java.util.Arrays.fill(signal, 0f);
        for (int t = 0; t < mag.length; t++) {
            float[] m = mag[t];
            float[] p = phase[t];
            for (int i = 0; i < nFft; i += SPECIES.length()) {
                FloatVector.fromArray(SPECIES, m, i).mul(FloatVector.fromArray(SPECIES, p, i)).intoArray(frame, i);
            }
            fft.realInverse(frame, true);
            int off = t * hop;
            for (int i = 0; i < nFft; i += SPECIES.length()) {
                FloatVector.fromArray(SPECIES, frame, i).fma(FloatVector.fromArray(SPECIES, window, i),
                        FloatVector.fromArray(SPECIES, signal, off + i)).intoArray(signal, off + i);
            }
        }
        for (int i = 0; i < signal.length; i++) signal[i] *= inverseNorm[i];
    }
}
