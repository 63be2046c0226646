package org.llasalab.codec.xcodec2;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import org.llasalab.tensor.Gemm;

/**
 * The dense kernels of the decoder, on row-major float arrays. {@link #matmulTransposed} is the one
 * heavy op (every linear layer, convolution and attention product goes through it): the toolkit's
 * register-tiled f32 GEMM ({@link Gemm}), split over one worker per CPU by rows. Lanes are summed in
 * lane order (not {@code reduceLanes}, whose order differs between interpreted and compiled code), so
 * a decode gives the same bits every time.
 */
final class CodecKernels {
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
     * Rows {@code from..to} of the product through the toolkit's f32 GEMM ({@link Gemm}: 4 outputs x 4 rows
     * register tiles); rows are taken in blocks of {@link #ROW_BLOCK} so that each weight row is read from
     * memory once per block, not once per 4 rows. Each sum is chunks, lanes in lane order, then the tail.
     */
    private static void block(float[] x, int in, float[] w, int out, float[] bias, float[] y, int from, int to) {
        int upper = Gemm.upper(in);
        for (int r0 = from; r0 < to; r0 += ROW_BLOCK) {
            int r1 = Math.min(to, r0 + ROW_BLOCK);
            int o = 0;
            for (; o + 4 <= out; o += 4) Gemm.rowBlock(w, o * in, in, upper, x, r0 * in, r1 - r0, y, out, r0 * out + o);
            for (; o < out; o++) {
                for (int r = r0; r < r1; r++) y[r * out + o] = Gemm.dot(w, o * in, x, r * in, in, upper);
            }
        }
        if (bias != null) {
            for (int r = from; r < to; r++) {
                for (int o = 0; o < out; o++) y[r * out + o] += bias[o];
            }
        }
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
