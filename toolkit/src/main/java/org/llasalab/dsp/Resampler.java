package org.llasalab.dsp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rational sample-rate conversion with a Kaiser-windowed sinc low-pass filter, evaluated as a
 * polyphase filter bank: for output rate / input rate = L / M (in lowest terms), output sample n sits
 * at input time t = n M / L, and its value is the dot product of the input around floor(t) with the
 * filter phase for the fractional part of t.
 *
 * <p>The pass band ends at {@code ROLLOFF} times the lower Nyquist frequency and the stop band starts
 * at that Nyquist frequency; the Kaiser window is designed for {@code STOPBAND_DB} of attenuation.
 */
public final class Resampler {
    static final double ROLLOFF = 0.85;
    static final double STOPBAND_DB = 90;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final Map<Long, Resampler> CACHE = new ConcurrentHashMap<>();

    private final int inRate;
    private final int outRate;
    private final int up;      // L
    private final int down;    // M
    private final int taps;    // filter taps per phase
    private final int half;    // taps before the centre
    private final float[][] phases;

    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        // Filter in units of input samples: cutoff (fraction of input Nyquist) and transition width.
        double nyquistRatio = Math.min(1.0, (double) outRate / inRate);   // lower Nyquist / input Nyquist
        double pass = ROLLOFF * nyquistRatio;
        double stop = nyquistRatio;
        double cutoff = (pass + stop) / 2;                                 // centre of the transition band
        double transition = Math.PI * (stop - pass);                       // radians per input sample
        double beta = 0.1102 * (STOPBAND_DB - 8.7);
        int length = (int) Math.ceil((STOPBAND_DB - 8) / (2.285 * transition)) + 1;
        this.half = Math.max(1, (length + 1) / 2);
        this.taps = 2 * half;
        double i0Beta = besselI0(beta);
        this.phases = new float[up][taps];
        for (int p = 0; p < up; p++) {
            double frac = (double) p / up;     // fractional input time of the output sample
            double sum = 0;
            double[] h = new double[taps];
            for (int k = 0; k < taps; k++) {
                // tap k multiplies input sample floor(t) - half + 1 + k, at distance x from t
                double x = (k - half + 1) - frac;
                double window = Math.abs(x) >= half ? 0 : besselI0(beta * Math.sqrt(1 - (x / half) * (x / half))) / i0Beta;
                h[k] = cutoff * sinc(cutoff * x) * window;
                sum += h[k];
            }
            for (int k = 0; k < taps; k++) {
                phases[p][k] = (float) (h[k] / sum);   // unit gain at DC for every phase
            }
        }
    }

    /** A shared resampler for the rate pair (they are immutable and thread-safe). */
    public static Resampler of(int inRate, int outRate) {
        return CACHE.computeIfAbsent(((long) inRate << 32) | outRate, k -> new Resampler(inRate, outRate));
    }

    /** {@code audio} at {@code rate} Hz (returned unchanged when it already is). */
    public static Audio resample(Audio audio, int rate) {
        if (audio.sampleRate() == rate) return audio;
        return new Audio(of(audio.sampleRate(), rate).process(audio.samples()), rate);
    }

    public int inRate() { return inRate; }

    public int outRate() { return outRate; }

    /** Resamples {@code x}; the output has round(len * outRate / inRate) samples. */
    public float[] process(float[] x) {
        int outLength = (int) Math.round((double) x.length * up / down);
        float[] padded = new float[x.length + 2 * taps];
        System.arraycopy(x, 0, padded, taps, x.length);
        float[] y = new float[outLength];
        int upperBound = SPECIES.loopBound(taps);
        for (int n = 0; n < outLength; n++) {
            long pos = (long) n * down;
            int base = (int) (pos / up);
            float[] h = phases[(int) (pos % up)];
            int start = base - half + 1 + taps;      // index in padded
            FloatVector acc = FloatVector.zero(SPECIES);
            int k = 0;
            for (; k < upperBound; k += SPECIES.length()) {
                acc = FloatVector.fromArray(SPECIES, padded, start + k)
                        .fma(FloatVector.fromArray(SPECIES, h, k), acc);
            }
            float s = org.llasalab.tensor.Kernels.sumLanes(acc); // the same bits before and after JIT compilation
            for (; k < taps; k++) {
                s += padded[start + k] * h[k];
            }
            y[n] = s;
        }
        return y;
    }

    private static double sinc(double x) {
        if (x == 0) return 1;
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Zeroth-order modified Bessel function of the first kind (power series). */
    public static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
