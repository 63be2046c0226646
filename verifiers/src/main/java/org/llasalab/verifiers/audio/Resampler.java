package org.llasalab.verifiers.audio;

/**
 * Band-limited resampling by windowed-sinc interpolation (Kaiser window), for bringing input WAVs to
 * the verifiers' 16 kHz. The cut-off sits just below the lower of the two Nyquist frequencies, so
 * downsampling does not alias.
 */
public final class Resampler {
    private static final int HALF_TAPS = 32;       // zero crossings on each side at the cut-off
    private static final double BETA = 8.6;        // Kaiser window shape (about 90 dB stop band)
    private static final double ROLLOFF = 0.94;    // cut-off as a fraction of the lower Nyquist

    private Resampler() {}

    public static float[] resample(float[] in, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + fromRate + " -> " + toRate);
        }
        if (fromRate == toRate) return in.clone();
        long outLength = (long) Math.floor(in.length * (double) toRate / fromRate);
        float[] out = new float[(int) outLength];
        double step = fromRate / (double) toRate;          // input samples per output sample
        double cutoff = ROLLOFF * Math.min(1.0, toRate / (double) fromRate); // in cycles per input sample * 2
        double halfWidth = HALF_TAPS / cutoff;             // filter half-length in input samples
        double besselBeta = bessel0(BETA);
        for (int n = 0; n < out.length; n++) {
            double t = n * step;
            int first = (int) Math.ceil(t - halfWidth);
            int last = (int) Math.floor(t + halfWidth);
            double acc = 0;
            for (int k = Math.max(0, first); k <= Math.min(in.length - 1, last); k++) {
                double x = k - t;
                double r = x / halfWidth;
                double window = bessel0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / besselBeta;
                acc += in[k] * cutoff * sinc(cutoff * x) * window;
            }
            out[n] = (float) acc;
        }
        return out;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) return 1;
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Modified Bessel function of the first kind, order 0 (power series). */
    private static double bessel0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 50; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < 1e-12 * sum) break;
        }
        return sum;
    }
}
