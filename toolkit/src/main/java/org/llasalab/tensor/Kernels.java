package org.llasalab.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Vectorized element-wise kernels on f32 heap arrays (activations, KV cache rows). */
public final class Kernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Kernels() {}

    /** Butterfly shuffles lane i <-> i ^ (L/2), i ^ (L/4), ... (constants, so that C2 intrinsifies them). */
    private static final VectorShuffle<Float> B1 = butterfly(1), B2 = butterfly(2), B3 = butterfly(3), B4 = butterfly(4);

    private static VectorShuffle<Float> butterfly(int level) {
        if (F.length() > 16) throw new ExceptionInInitializerError("vectors of more than 16 floats are not supported");
        int bit = F.length() >> level;
        return VectorShuffle.fromOp(F, i -> i ^ bit);
    }

    /**
     * Sum of the lanes by a fixed butterfly tree of lane-wise adds. Unlike {@code reduceLanes(ADD)},
     * whose order differs between the compiled intrinsic and the interpreter, this gives the same
     * bits before and after JIT compilation, so results do not drift while a model warms up.
     */
    public static float sumLanes(FloatVector v) {
        int lanes = v.length();
        if (lanes >= 2) v = v.add(v.rearrange(B1));
        if (lanes >= 4) v = v.add(v.rearrange(B2));
        if (lanes >= 8) v = v.add(v.rearrange(B3));
        if (lanes >= 16) v = v.add(v.rearrange(B4));
        return v.lane(0);
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

    /**
     * Attention scores against one page of keys stored transposed ({@code kT[d * page + t]}: a position's
     * key is a column): {@code out[oo + t] = (sum over d < n of q[qo + d] * kT[(ko + d) * page + t]) / scale}
     * for t in {@code [0, count)}, summed in order of d, L positions at a time with no lane reductions.
     * Up to the next multiple of L positions are written ({@code page} must be a multiple of L).
     */
    public static void scoresTransposed(float[] q, int qo, float[] kT, int ko, int page, int n, int count, float scale,
                                        float[] out, int oo) {
        int lanes = F.length();
        for (int t = 0; t < count; t += lanes) {
            FloatVector acc = FloatVector.zero(F);
            for (int d = 0, k = ko * page + t; d < n; d++, k += page) {
                acc = FloatVector.broadcast(F, q[qo + d]).fma(FloatVector.fromArray(F, kT, k), acc);
            }
            acc.div(scale).intoArray(out, oo + t);
        }
    }

    /**
     * {@code y[yo + i] += sum over t < count of p[po + t] * v[vo + t * stride + i]} for i in {@code [0, n)}:
     * the probability-weighted sum of value rows, summed in order of t, L outputs at a time kept in a register.
     */
    public static void weightedRows(float[] p, int po, int count, float[] v, int vo, int stride, float[] y, int yo, int n) {
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += F.length()) {
            FloatVector acc = FloatVector.fromArray(F, y, yo + i);
            for (int t = 0, k = vo + i; t < count; t++, k += stride) {
                acc = FloatVector.broadcast(F, p[po + t]).fma(FloatVector.fromArray(F, v, k), acc);
            }
            acc.intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            float acc = y[yo + i];
            for (int t = 0; t < count; t++) acc = Math.fma(p[po + t], v[vo + t * stride + i], acc);
            y[yo + i] = acc;
        }
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

    /**
     * In-place softmax of a[o..o+n) ({@link VectorExp}: the same bits before and after JIT compilation); the
     * last partial vector goes through masked loads and stores.
     */
    public static void softmax(float[] a, int o, int n) {
        int lanes = F.length(), upper = F.loopBound(n), i;
        FloatVector mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (i = 0; i < upper; i += lanes) mx = mx.max(FloatVector.fromArray(F, a, o + i));
        VectorMask<Float> tail = F.indexInRange(upper, n);
        if (upper < n) mx = mx.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, a, o + upper, tail), tail);
        float max = mx.reduceLanes(VectorOperators.MAX);
        FloatVector acc = FloatVector.zero(F);
        for (i = 0; i < upper; i += lanes) {
            FloatVector e = VectorExp.exp(FloatVector.fromArray(F, a, o + i).sub(max));
            e.intoArray(a, o + i);
            acc = acc.add(e);
        }
        if (upper < n) {
            FloatVector e = VectorExp.exp(FloatVector.fromArray(F, a, o + upper, tail).sub(max));
            e.intoArray(a, o + upper, tail);
            acc = acc.add(e, tail);
        }
        FloatVector inv = FloatVector.broadcast(F, 1f / sumLanes(acc));
        for (i = 0; i < upper; i += lanes) FloatVector.fromArray(F, a, o + i).mul(inv).intoArray(a, o + i);
        if (upper < n) FloatVector.fromArray(F, a, o + upper, tail).mul(inv).intoArray(a, o + upper, tail);
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

    /**
     * SwiGLU gate: g[i] = silu(g[i]) * u[i] = g[i] / (1 + e^-g[i]) * u[i], every element through the same
     * vector code (the last partial vector through masked loads and stores), so an element's result does not
     * depend on its position.
     */
    public static void swiglu(float[] g, float[] u, int n) {
        int lanes = F.length(), upper = F.loopBound(n);
        for (int i = 0; i < upper; i += lanes) silu(FloatVector.fromArray(F, g, i)).mul(FloatVector.fromArray(F, u, i)).intoArray(g, i);
        if (upper < n) {
            VectorMask<Float> tail = F.indexInRange(upper, n);
            silu(FloatVector.fromArray(F, g, upper, tail)).mul(FloatVector.fromArray(F, u, upper, tail)).intoArray(g, upper, tail);
        }
    }

    private static FloatVector silu(FloatVector v) {
        return v.div(VectorExp.exp(v.neg()).add(1f));
    }
}
