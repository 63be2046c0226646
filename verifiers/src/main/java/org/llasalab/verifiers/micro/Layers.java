package org.llasalab.verifiers.micro;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The plain-Java layers of the micro verifiers, on time-major activations {@code x[time][channels]}.
 * Convolutions use "same" padding as ND4J computes it: {@code out = ceil(T / stride)}, total padding
 * {@code (out - 1) * stride + (k - 1) * dilation + 1 - T} split with the smaller half on the left.
 */
public final class Layers {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Layers() {}

    /** A 1-D convolution: weight [k][in][out] (row-major, flattened), bias [out] or null. */
    public record Conv(int kernel, int in, int out, int stride, int dilation, float[] weight, float[] bias) {
        public Conv {
            if (weight.length != kernel * in * out) throw new IllegalArgumentException("conv weight has " + weight.length
                    + " values, expected " + kernel + "x" + in + "x" + out);
            if (bias != null && bias.length != out) throw new IllegalArgumentException("conv bias has " + bias.length + " values, expected " + out);
        }

        public float[][] apply(float[][] x) {
            int t = x.length;
            int outT = (t + stride - 1) / stride;
            int total = Math.max(0, (outT - 1) * stride + (kernel - 1) * dilation + 1 - t);
            int padLeft = total / 2;
            float[][] y = new float[outT][];
            for (int o = 0; o < outT; o++) {
                float[] acc = bias == null ? new float[out] : bias.clone();
                for (int j = 0; j < kernel; j++) {
                    int src = o * stride + j * dilation - padLeft;
                    if (src < 0 || src >= t) continue;
                    float[] row = x[src];
                    int base = j * in * out;
                    for (int c = 0; c < in; c++) {
                        float v = row[c];
                        if (v != 0f) axpy(v, weight, base + c * out, acc);
                    }
                }
                y[o] = acc;
            }
            return y;
        }
    }

    /** A dense layer: weight [in][out], bias [out] or null. */
    public record Linear(int in, int out, float[] weight, float[] bias) {
        public Linear {
            if (weight.length != in * out) throw new IllegalArgumentException("linear weight has " + weight.length
                    + " values, expected " + in + "x" + out);
            if (bias != null && bias.length != out) throw new IllegalArgumentException("linear bias has " + bias.length + " values, expected " + out);
        }

        public float[] apply(float[] x) {
            float[] acc = bias == null ? new float[out] : bias.clone();
            for (int c = 0; c < in; c++) {
                if (x[c] != 0f) axpy(x[c], weight, c * out, acc);
            }
            return acc;
        }

        public float[][] apply(float[][] x) {
            float[][] y = new float[x.length][];
            for (int t = 0; t < x.length; t++) y[t] = apply(x[t]);
            return y;
        }
    }

    /** Layer normalisation over channels with gain and bias. */
    public record LayerNorm(float[] gain, float[] bias, float eps) {
        public float[][] apply(float[][] x) {
            float[][] y = new float[x.length][];
            for (int t = 0; t < x.length; t++) {
                float[] r = x[t];
                double mean = 0;
                for (float v : r) mean += v;
                mean /= r.length;
                double var = 0;
                for (float v : r) var += (v - mean) * (v - mean);
                var /= r.length;
                float inv = (float) (1 / Math.sqrt(var + eps));
                float[] o = new float[r.length];
                for (int c = 0; c < r.length; c++) o[c] = (float) (r[c] - mean) * inv * gain[c] + bias[c];
                y[t] = o;
            }
            return y;
        }
    }

    /** acc[i] += a * w[off + i] for i in [0, acc.length). */
    static void axpy(float a, float[] w, int off, float[] acc) {
        int n = acc.length;
        int i = 0;
        FloatVector av = FloatVector.broadcast(S, a);
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, w, off + i).fma(av, FloatVector.fromArray(S, acc, i)).intoArray(acc, i);
        }
        for (; i < n; i++) acc[i] += a * w[off + i];
    }

    public static float[][] relu(float[][] x) {
        for (float[] r : x) for (int c = 0; c < r.length; c++) if (r[c] < 0) r[c] = 0;
        return x;
    }

    public static float[] relu(float[] x) {
        for (int c = 0; c < x.length; c++) if (x[c] < 0) x[c] = 0;
        return x;
    }

    /** x + y, in place into x. */
    public static float[][] addInPlace(float[][] x, float[][] y) {
        for (int t = 0; t < x.length; t++) for (int c = 0; c < x[t].length; c++) x[t][c] += y[t][c];
        return x;
    }

    /** (x - mean) / std per channel, into a new array. */
    public static float[][] normalise(float[][] x, float[] mean, float[] std) {
        float[][] y = new float[x.length][];
        for (int t = 0; t < x.length; t++) {
            float[] o = new float[x[t].length];
            for (int c = 0; c < o.length; c++) o[c] = (x[t][c] - mean[c]) / std[c];
            y[t] = o;
        }
        return y;
    }

    /** Mean and standard deviation over time, concatenated: [2 * channels]. */
    public static float[] statsPool(float[][] x, float eps) {
        int c = x[0].length;
        double[] sum = new double[c], sq = new double[c];
        for (float[] r : x) for (int i = 0; i < c; i++) { sum[i] += r[i]; sq[i] += (double) r[i] * r[i]; }
        float[] out = new float[2 * c];
        for (int i = 0; i < c; i++) {
            double m = sum[i] / x.length;
            out[i] = (float) m;
            out[c + i] = (float) Math.sqrt(Math.max(0, sq[i] / x.length - m * m) + eps);
        }
        return out;
    }

    public static float[] logSoftmax(float[] z) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : z) max = Math.max(max, v);
        double sum = 0;
        for (float v : z) sum += Math.exp(v - max);
        float lse = (float) (max + Math.log(sum));
        float[] out = new float[z.length];
        for (int i = 0; i < z.length; i++) out[i] = z[i] - lse;
        return out;
    }
}
