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
     * Attention scores of {@code queries} query heads that share one key head (grouped-query attention)
     * against one page of keys stored transposed ({@code kT[d * page + t]}: a position's key is a column):
     * for query g and t in {@code [0, count)},
     * {@code out[oo + g * outStride + t] = (sum over d < n of q[qo + g * qStride + d] * kT[(ko + d) * page + t]) / scale},
     * summed in order of d. Each key vector loaded feeds up to 4 queries, and 4 queries x 2 position vectors
     * make 8 independent FMA chains (one chain waits on the FMA latency). Every score has the same single
     * chain over d whatever {@code queries} is, so grouping does not change a bit. Up to the next multiple
     * of 2L positions are written ({@code page} must be a multiple of 2L).
     */
    public static void scoresTransposed(float[] q, int qo, int qStride, int queries, float[] kT, int ko, int page, int n,
                                        int count, float scale, float[] out, int oo, int outStride) {
        int lanes = F.length();
        for (int g = 0; g < queries; g += 4) {
            // a group of fewer than 4 repeats its last query: the same sums, written twice to the same place
            int q0 = member(qo, g, queries, qStride), q1 = member(qo, g + 1, queries, qStride);
            int q2 = member(qo, g + 2, queries, qStride), q3 = member(qo, g + 3, queries, qStride);
            int o0 = member(oo, g, queries, outStride), o1 = member(oo, g + 1, queries, outStride);
            int o2 = member(oo, g + 2, queries, outStride), o3 = member(oo, g + 3, queries, outStride);
            for (int t = 0; t < count; t += 2 * lanes) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                for (int d = 0, k = ko * page + t; d < n; d++, k += page) {
                    FloatVector x = FloatVector.fromArray(F, kT, k), y = FloatVector.fromArray(F, kT, k + lanes);
                    FloatVector c = FloatVector.broadcast(F, q[q0 + d]); a0 = c.fma(x, a0); b0 = c.fma(y, b0);
                    c = FloatVector.broadcast(F, q[q1 + d]); a1 = c.fma(x, a1); b1 = c.fma(y, b1);
                    c = FloatVector.broadcast(F, q[q2 + d]); a2 = c.fma(x, a2); b2 = c.fma(y, b2);
                    c = FloatVector.broadcast(F, q[q3 + d]); a3 = c.fma(x, a3); b3 = c.fma(y, b3);
                }
                a0.div(scale).intoArray(out, o0 + t); b0.div(scale).intoArray(out, o0 + t + lanes);
                a1.div(scale).intoArray(out, o1 + t); b1.div(scale).intoArray(out, o1 + t + lanes);
                a2.div(scale).intoArray(out, o2 + t); b2.div(scale).intoArray(out, o2 + t + lanes);
                a3.div(scale).intoArray(out, o3 + t); b3.div(scale).intoArray(out, o3 + t + lanes);
            }
        }
    }

    /** Where query g of a group of {@code queries} starts; past the group, its last query (computed twice, same bits). */
    private static int member(int base, int g, int queries, int stride) {
        return base + Math.min(g, queries - 1) * stride;
    }

    /**
     * For query g below {@code queries} and i in {@code [0, n)}:
     * {@code y[yo + g * yStride + i] += sum over t < count of p[po + g * pStride + t] * v[vo + t * stride + i]},
     * the probability-weighted sum of value rows, summed in order of t. The queries share each value vector
     * loaded; up to 4 queries x 2 output vectors are 8 independent FMA chains. As in
     * {@link #scoresTransposed}, grouping does not change a bit.
     */
    public static void weightedRows(float[] p, int po, int pStride, int queries, int count, float[] v, int vo, int stride,
                                    float[] y, int yo, int yStride, int n) {
        int lanes = F.length();
        for (int g = 0; g < queries; g += 4) {
            int p0 = member(po, g, queries, pStride), p1 = member(po, g + 1, queries, pStride);
            int p2 = member(po, g + 2, queries, pStride), p3 = member(po, g + 3, queries, pStride);
            int y0 = member(yo, g, queries, yStride), y1 = member(yo, g + 1, queries, yStride);
            int y2 = member(yo, g + 2, queries, yStride), y3 = member(yo, g + 3, queries, yStride);
            int i = 0;
            for (; i + 2 * lanes <= n; i += 2 * lanes) {
                FloatVector a0 = FloatVector.fromArray(F, y, y0 + i), a1 = FloatVector.fromArray(F, y, y1 + i);
                FloatVector a2 = FloatVector.fromArray(F, y, y2 + i), a3 = FloatVector.fromArray(F, y, y3 + i);
                FloatVector b0 = FloatVector.fromArray(F, y, y0 + i + lanes), b1 = FloatVector.fromArray(F, y, y1 + i + lanes);
                FloatVector b2 = FloatVector.fromArray(F, y, y2 + i + lanes), b3 = FloatVector.fromArray(F, y, y3 + i + lanes);
                for (int t = 0, k = vo + i; t < count; t++, k += stride) {
                    FloatVector x = FloatVector.fromArray(F, v, k), z = FloatVector.fromArray(F, v, k + lanes);
                    FloatVector c = FloatVector.broadcast(F, p[p0 + t]); a0 = c.fma(x, a0); b0 = c.fma(z, b0);
                    c = FloatVector.broadcast(F, p[p1 + t]); a1 = c.fma(x, a1); b1 = c.fma(z, b1);
                    c = FloatVector.broadcast(F, p[p2 + t]); a2 = c.fma(x, a2); b2 = c.fma(z, b2);
                    c = FloatVector.broadcast(F, p[p3 + t]); a3 = c.fma(x, a3); b3 = c.fma(z, b3);
                }
                a0.intoArray(y, y0 + i); b0.intoArray(y, y0 + i + lanes);
                a1.intoArray(y, y1 + i); b1.intoArray(y, y1 + i + lanes);
                a2.intoArray(y, y2 + i); b2.intoArray(y, y2 + i + lanes);
                a3.intoArray(y, y3 + i); b3.intoArray(y, y3 + i + lanes);
            }
            for (; i + lanes <= n; i += lanes) {
                FloatVector a0 = FloatVector.fromArray(F, y, y0 + i), a1 = FloatVector.fromArray(F, y, y1 + i);
                FloatVector a2 = FloatVector.fromArray(F, y, y2 + i), a3 = FloatVector.fromArray(F, y, y3 + i);
                for (int t = 0, k = vo + i; t < count; t++, k += stride) {
                    FloatVector x = FloatVector.fromArray(F, v, k);
                    a0 = FloatVector.broadcast(F, p[p0 + t]).fma(x, a0);
                    a1 = FloatVector.broadcast(F, p[p1 + t]).fma(x, a1);
                    a2 = FloatVector.broadcast(F, p[p2 + t]).fma(x, a2);
                    a3 = FloatVector.broadcast(F, p[p3 + t]).fma(x, a3);
                }
                a0.intoArray(y, y0 + i);
                a1.intoArray(y, y1 + i);
                a2.intoArray(y, y2 + i);
                a3.intoArray(y, y3 + i);
            }
            for (; i < n; i++) {
                float a0 = y[y0 + i], a1 = y[y1 + i], a2 = y[y2 + i], a3 = y[y3 + i];
                for (int t = 0, k = vo + i; t < count; t++, k += stride) {
                    float x = v[k];
                    a0 = Math.fma(p[p0 + t], x, a0);
                    a1 = Math.fma(p[p1 + t], x, a1);
                    a2 = Math.fma(p[p2 + t], x, a2);
                    a3 = Math.fma(p[p3 + t], x, a3);
                }
                y[y0 + i] = a0;
                y[y1 + i] = a1;
                y[y2 + i] = a2;
                y[y3 + i] = a3;
            }
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
