package org.llasalab.codec.xcodec2;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import static org.llasalab.tensor.Kernels.sumLanes;

/**
 * The dense kernels of the decoder, on row-major float arrays. {@link #matmulTransposed} is the one
 * heavy op (every linear layer, convolution and attention product goes through it): a 4x4 register-
 * blocked Vector API dot-product kernel, split over one worker per CPU by rows. Lanes are summed in
 * lane order (not {@code reduceLanes}, whose order differs between interpreted and compiled code), so
 * a decode gives the same bits every time.
 */
final class CodecKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long PARALLEL_WORK = 1L << 18;
    /** One worker per CPU (the common pool keeps one CPU for the caller, which only waits here). */
    private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    private CodecKernels() {}

    /**
     * {@code y[r][o] = sum_i x[r][i] * w[o][i] (+ bias[o])}: x is [rows, in], w is [out, in] (the PyTorch
     * Linear layout), y is [rows, out]. {@code bias} may be null.
     */
    static float[] matmulTransposed(float[] x, int rows, int in, float[] w, int out, float[] bias) {
        float[] y = new float[rows * out];
        long work = (long) rows * in * out;
        if (work < PARALLEL_WORK || rows < 8) {
            block(x, in, w, out, bias, y, 0, rows);
        } else {
            POOL.invoke(new Split(x, in, w, out, bias, y, 0, rows));
        }
        return y;
    }

    private static final class Split extends RecursiveAction {
        private final float[] x, w, bias, y;
        private final int in, out, from, to;

        Split(float[] x, int in, float[] w, int out, float[] bias, float[] y, int from, int to) {
            this.x = x; this.in = in; this.w = w; this.out = out; this.bias = bias; this.y = y; this.from = from; this.to = to;
        }

        @Override
        protected void compute() {
            int n = to - from;
            long work = (long) n * in * out;
            if (n <= 8 || work < PARALLEL_WORK) {
                block(x, in, w, out, bias, y, from, to);
                return;
            }
            int mid = from + ((n / 2 + 3) & ~3);
            invokeAll(new Split(x, in, w, out, bias, y, from, mid), new Split(x, in, w, out, bias, y, mid, to));
        }
    }

    /** Rows per cache block: their inputs stay in L2 while the weights stream past once per block. */
    private static final int ROW_BLOCK = 64;

    /**
     * Rows {@code from..to} of the product, 4 rows x 4 outputs at a time; rows are taken in blocks of
     * {@link #ROW_BLOCK} so that each weight row is read from memory once per block, not once per 4 rows.
     */
    private static void block(float[] x, int in, float[] w, int out, float[] bias, float[] y, int from, int to) {
        int full = from + (to - from) / 4 * 4;
        float[] lanes = new float[16 * S.length()];
        for (int r0 = from; r0 < full; r0 += ROW_BLOCK) {
            int r1 = Math.min(full, r0 + ROW_BLOCK);
            int o = 0;
            for (; o + 4 <= out; o += 4) {
                for (int r = r0; r < r1; r += 4) {
                    dot4x4(x, r, in, w, o, out, bias, y, lanes);
                }
            }
            for (; o < out; o++) {
                for (int r = r0; r < r1; r++) {
                    y[r * out + o] = dot(x, r * in, w, o * in, in) + (bias == null ? 0f : bias[o]);
                }
            }
        }
        for (int r = full; r < to; r++) {
            for (int o = 0; o < out; o++) {
                y[r * out + o] = dot(x, r * in, w, o * in, in) + (bias == null ? 0f : bias[o]);
            }
        }
    }

    private static void dot4x4(float[] x, int r, int in, float[] w, int o, int out, float[] bias, float[] y, float[] lanes) {
        int x0 = r * in, x1 = x0 + in, x2 = x1 + in, x3 = x2 + in;
        int w0 = o * in, w1 = w0 + in, w2 = w1 + in, w3 = w2 + in;
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int len = S.length();
        int i = 0;
        int bound = S.loopBound(in);
        for (; i < bound; i += len) {
            FloatVector v0 = FloatVector.fromArray(S, w, w0 + i);
            FloatVector v1 = FloatVector.fromArray(S, w, w1 + i);
            FloatVector v2 = FloatVector.fromArray(S, w, w2 + i);
            FloatVector v3 = FloatVector.fromArray(S, w, w3 + i);
            FloatVector u = FloatVector.fromArray(S, x, x0 + i);
            a00 = u.fma(v0, a00); a01 = u.fma(v1, a01); a02 = u.fma(v2, a02); a03 = u.fma(v3, a03);
            u = FloatVector.fromArray(S, x, x1 + i);
            a10 = u.fma(v0, a10); a11 = u.fma(v1, a11); a12 = u.fma(v2, a12); a13 = u.fma(v3, a13);
            u = FloatVector.fromArray(S, x, x2 + i);
            a20 = u.fma(v0, a20); a21 = u.fma(v1, a21); a22 = u.fma(v2, a22); a23 = u.fma(v3, a23);
            u = FloatVector.fromArray(S, x, x3 + i);
            a30 = u.fma(v0, a30); a31 = u.fma(v1, a31); a32 = u.fma(v2, a32); a33 = u.fma(v3, a33);
        }
        // lanes summed in lane order, through memory: cheaper than extracting lanes one by one
        int l = len;
        a00.intoArray(lanes, 0); a01.intoArray(lanes, l); a02.intoArray(lanes, 2 * l); a03.intoArray(lanes, 3 * l);
        a10.intoArray(lanes, 4 * l); a11.intoArray(lanes, 5 * l); a12.intoArray(lanes, 6 * l); a13.intoArray(lanes, 7 * l);
        a20.intoArray(lanes, 8 * l); a21.intoArray(lanes, 9 * l); a22.intoArray(lanes, 10 * l); a23.intoArray(lanes, 11 * l);
        a30.intoArray(lanes, 12 * l); a31.intoArray(lanes, 13 * l); a32.intoArray(lanes, 14 * l); a33.intoArray(lanes, 15 * l);
        for (int k = 0; k < 16; k++) {
            int a = k >> 2;
            int b = k & 3;
            float sum = lanes[k * l];
            for (int j = 1; j < l; j++) sum += lanes[k * l + j];
            int xa = (r + a) * in;
            int wb = (o + b) * in;
            for (int t = i; t < in; t++) sum += x[xa + t] * w[wb + t];
            y[(r + a) * out + o + b] = sum + (bias == null ? 0f : bias[o + b]);
        }
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        float sum = sumLanes(acc);
        for (; i < n; i++) sum += a[aOff + i] * b[bOff + i];
        return sum;
    }

    /**
     * 1-D convolution with "same" zero padding (k odd, padding (k-1)/2, stride 1) on time-major
     * activations: x is [frames, inC], w is PyTorch's [outC, inC, k]; returns [frames, outC].
     */
    static float[] conv1d(float[] x, int frames, int inC, float[] w, int outC, int k, float[] bias) {
        int pad = (k - 1) / 2;
        float[] cols = new float[frames * inC * k];
        for (int t = 0; t < frames; t++) {
            int row = t * inC * k;
            for (int j = 0; j < k; j++) {
                int src = t + j - pad;
                if (src < 0 || src >= frames) continue;
                int xs = src * inC;
                for (int c = 0; c < inC; c++) {
                    cols[row + c * k + j] = x[xs + c];
                }
            }
        }
        return matmulTransposed(cols, frames, inC * k, w, outC, bias);
    }

    /** GroupNorm over [frames, channels]: statistics per group over its channels and all frames. */
    static void groupNorm(float[] x, int frames, int channels, int groups, float eps, float[] gamma, float[] beta) {
        int per = channels / groups;
        for (int g = 0; g < groups; g++) {
            int c0 = g * per;
            double sum = 0;
            for (int t = 0; t < frames; t++) {
                for (int c = c0; c < c0 + per; c++) sum += x[t * channels + c];
            }
            double n = (double) frames * per;
            double mean = sum / n;
            double sq = 0;
            for (int t = 0; t < frames; t++) {
                for (int c = c0; c < c0 + per; c++) {
                    double d = x[t * channels + c] - mean;
                    sq += d * d;
                }
            }
            float inv = (float) (1.0 / Math.sqrt(sq / n + eps));
            float m = (float) mean;
            for (int t = 0; t < frames; t++) {
                for (int c = c0; c < c0 + per; c++) {
                    int at = t * channels + c;
                    x[at] = (x[at] - m) * inv * gamma[c] + beta[c];
                }
            }
        }
    }

    /** LayerNorm over the last axis of [rows, dim]. */
    static void layerNorm(float[] x, int rows, int dim, float eps, float[] gamma, float[] beta) {
        for (int r = 0; r < rows; r++) {
            int o = r * dim;
            double sum = 0;
            for (int i = 0; i < dim; i++) sum += x[o + i];
            double mean = sum / dim;
            double sq = 0;
            for (int i = 0; i < dim; i++) {
                double d = x[o + i] - mean;
                sq += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(sq / dim + eps));
            float m = (float) mean;
            for (int i = 0; i < dim; i++) x[o + i] = (x[o + i] - m) * inv * gamma[i] + beta[i];
        }
    }

    /** RMSNorm over the last axis of [rows, dim], into a new array. */
    static float[] rmsNorm(float[] x, int rows, int dim, float eps, float[] gamma) {
        float[] y = new float[x.length];
        for (int r = 0; r < rows; r++) {
            int o = r * dim;
            double sq = 0;
            for (int i = 0; i < dim; i++) sq += (double) x[o + i] * x[o + i];
            float inv = (float) (1.0 / Math.sqrt(sq / dim + eps));
            for (int i = 0; i < dim; i++) y[o + i] = gamma[i] * (x[o + i] * inv);
        }
        return y;
    }

    /** x * sigmoid(x), in place (PyTorch's SiLU, also called swish); chunks run on all CPUs. */
    static void silu(float[] x) {
        int chunk = 1 << 14;
        forEachRange((x.length + chunk - 1) / chunk, (from, to) -> {
            int end = Math.min(x.length, to * chunk);
            for (int i = from * chunk; i < end; i++) {
                float v = x[i];
                x[i] = v / (1f + (float) Math.exp(-v));
            }
        });
    }

    /** A body over a range of task indices. */
    interface RangeBody {
        void run(int from, int to);
    }

    /** Runs {@code body} over 0..tasks, split across the workers (each index exactly once). */
    static void forEachRange(int tasks, RangeBody body) {
        if (tasks <= 1) {
            body.run(0, tasks);
            return;
        }
        POOL.invoke(new RangeSplit(body, 0, tasks));
    }

    private static final class RangeSplit extends RecursiveAction {
        private final RangeBody body;
        private final int from, to;

        RangeSplit(RangeBody body, int from, int to) {
            this.body = body; this.from = from; this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from <= 1) {
                body.run(from, to);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new RangeSplit(body, from, mid), new RangeSplit(body, mid, to));
        }
    }

    static void addInPlace(float[] acc, float[] delta) {
        for (int i = 0; i < acc.length; i++) acc[i] += delta[i];
    }

    /** Row-wise softmax of [rows, cols], in place; blocks of rows run on all CPUs. */
    static void softmaxRows(float[] x, int rows, int cols) {
        int per = Math.max(1, (1 << 14) / Math.max(1, cols));
        forEachRange((rows + per - 1) / per, (from, to) -> {
            for (int r = from * per; r < Math.min(rows, to * per); r++) softmaxRow(x, r * cols, cols);
        });
    }

    private static void softmaxRow(float[] x, int o, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < cols; i++) max = Math.max(max, x[o + i]);
        double sum = 0;
        for (int i = 0; i < cols; i++) {
            float e = (float) Math.exp(x[o + i] - max);
            x[o + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < cols; i++) x[o + i] *= inv;
    }
}
