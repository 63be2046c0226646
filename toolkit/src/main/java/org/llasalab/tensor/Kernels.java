package org.llasalab.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vectorized element-wise kernels on f32 heap arrays (activations, KV cache rows). */
public final class Kernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Kernels() {}

    /**
     * Sum of the lanes in lane order. Unlike {@code reduceLanes(ADD)}, whose order differs between
     * the compiled intrinsic and the interpreter, this gives the same bits before and after JIT
     * compilation, so results do not drift while a model warms up.
     */
    public static float sumLanes(FloatVector v) {
        float s = v.lane(0);
        for (int i = 1; i < v.length(); i++) s += v.lane(i);
        return s;
    }

    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += F.length()) {
            acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
        }
        float s = Kernels.sumLanes(acc);
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /** y[yo..] += alpha * x[xo..] */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int upper = F.loopBound(n);
        int i = 0;
        FloatVector va = FloatVector.broadcast(F, alpha);
        for (; i < upper; i += F.length()) {
            FloatVector.fromArray(F, x, xo + i).fma(va, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    /** out = x / sqrt(mean(x^2) + eps) * weight, on one row of length weight.length. */
    public static void rmsnorm(float[] out, int oo, float[] x, int xo, float[] weight, float eps) {
        int n = weight.length;
        float ss = dot(x, xo, x, xo, n);
        float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[oo + i] = weight[i] * (x[xo + i] * inv);
    }

    /** In-place softmax of a[o..o+n). */
    public static void softmax(float[] a, int o, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, a[o + i]);
        float sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(a[o + i] - max);
            a[o + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < n; i++) a[o + i] *= inv;
    }

    /** a[i] += b[i] for i in [0, n). */
    public static void add(float[] a, float[] b, int n) {
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += F.length()) {
            FloatVector.fromArray(F, a, i).add(FloatVector.fromArray(F, b, i)).intoArray(a, i);
        }
        for (; i < n; i++) a[i] += b[i];
    }

    /** SwiGLU gate: g[i] = silu(g[i]) * u[i]. */
    public static void swiglu(float[] g, float[] u, int n) {
        for (int i = 0; i < n; i++) {
            float v = g[i];
            g[i] = v / (1f + (float) Math.exp(-v)) * u[i];
        }
    }
}
