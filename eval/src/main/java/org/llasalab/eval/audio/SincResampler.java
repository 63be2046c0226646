package org.llasalab.eval.audio;

/**
 * Band-limited resampling by a Hann-windowed sinc kernel. For output sample {@code n} at input time
 * {@code t = n * inRate / outRate}:
 * <pre>  y[n] = sum_k x[k] * 2fc * sinc(2fc (t - k)) * hann((t - k) / W)</pre>
 * with cutoff {@code fc = 0.5 * rolloff * min(1, outRate / inRate)} cycles per input sample (so
 * downsampling filters out what the new rate cannot hold) and half-width {@code W = ZEROS / (2fc)}.
 * Samples outside the signal count as zero. Exact for equal rates (a copy).
 */
public final class SincResampler {
    private static final int ZEROS = 16;
    private static final double ROLLOFF = 0.945;

    private SincResampler() {}

    public static float[] resample(float[] x, int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
        }
        if (inRate == outRate) {
            return x.clone();
        }
        double fc = 0.5 * ROLLOFF * Math.min(1.0, (double) outRate / inRate);
        double halfWidth = ZEROS / (2 * fc);
        int outLength = (int) Math.ceil((double) x.length * outRate / inRate);
        float[] y = new float[outLength];
        for (int n = 0; n < outLength; n++) {
            double t = (double) n * inRate / outRate;
            int first = Math.max(0, (int) Math.ceil(t - halfWidth));
            int last = Math.min(x.length - 1, (int) Math.floor(t + halfWidth));
            double acc = 0;
            for (int k = first; k <= last; k++) {
                double d = t - k;
                acc += x[k] * kernel(d, fc, halfWidth);
            }
            y[n] = (float) acc;
        }
        return y;
    }

    private static double kernel(double d, double fc, double halfWidth) {
        double window = 0.5 + 0.5 * Math.cos(Math.PI * d / halfWidth);
        double arg = 2 * fc * d;
        double sinc = Math.abs(arg) < 1e-12 ? 1.0 : Math.sin(Math.PI * arg) / (Math.PI * arg);
        return 2 * fc * sinc * window;
    }
}
