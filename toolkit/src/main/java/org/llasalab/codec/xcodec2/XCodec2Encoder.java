package org.llasalab.codec.xcodec2;

import static org.llasalab.codec.xcodec2.CodecKernels.forEachRange;
import static org.llasalab.codec.xcodec2.CodecKernels.layerNorm;
import static org.llasalab.codec.xcodec2.CodecKernels.matmulTransposed;
import static org.llasalab.codec.xcodec2.CodecKernels.silu;
import static org.llasalab.codec.xcodec2.CodecKernels.softmaxRows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.llasalab.codec.xcodec2.DecoderWeights.Norm;
import org.llasalab.codec.xcodec2.EncoderWeights.Block;
import org.llasalab.codec.xcodec2.EncoderWeights.ConformerLayer;
import org.llasalab.codec.xcodec2.EncoderWeights.Conv;
import org.llasalab.codec.xcodec2.EncoderWeights.Linear;
import org.llasalab.codec.xcodec2.EncoderWeights.ResUnit;
import org.llasalab.codec.xcodec2.EncoderWeights.Snake;
import org.llasalab.dsp.KaldiFbank;
import org.llasalab.dsp.Resampler;
import org.llasalab.tensor.MatMul;
import org.llasalab.tensor.Parallel;
import org.llasalab.tensor.WeightMatrix;

/**
 * The X-codec2 encoder, 16 kHz audio to one code per hop (20 ms), one utterance at a time. Activations are
 * time-major [frames, channels]. The forward pass, as the reference computes it:
 * <pre>
 *   audio padded with zeros to a multiple of the hop, at least one zero more   P = hop x T samples
 *   semantic: Kaldi fbank (80 bins) of [hop/2 zeros, audio x 2^15, hop/2 zeros], per-bin mean/variance
 *             normalised over the utterance, pairs of frames stacked               [T, 160]
 *             w2v-BERT: LayerNorm, Linear to hidden; per conformer layer
 *               x += ffn1(LN x) / 2;  x += attn(LN x) (relative-key distances);  x += conv(x);
 *               x += ffn2(LN x) / 2;  x = LN x                                     [T, 1024] after 16 layers
 *             adapter: h = conv(x); h = conv(relu(conv(relu h))) + relu h; conv    (k3 each)
 *   acoustic: conv k7; 5 blocks of (3 residual units (anti-aliased Snake, conv k7 dilated 1/3/9, anti-aliased
 *             Snake, conv k1), anti-aliased Snake, strided conv); anti-aliased Snake; conv k3   [T, 1024]
 *   z = fc_prior([semantic | acoustic]);  code = FSQ(project_in(z))
 * </pre>
 * The heavy matrices of the conformer are used in place ({@link WeightMatrix}, memory-mapped f32 or bf16)
 * through {@link MatMul}; so do the convolutions, as [out, k x in] matrices against windows of gathered input rows.
 */
public final class XCodec2Encoder implements AutoCloseable {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Activation rows per matrix product: their inputs stay in cache while the weights stream past. */
    private static final int ROWS_PER_PASS = 128;
    /** Kaiser-windowed sinc of the 2x anti-aliasing resamplers (cutoff 1/4, half width 0.3, 12 taps). */
    private static final float[] ALIAS_FILTER = kaiserSinc(0.25, 0.3, 12);

    private final EncoderConfig config;
    private final EncoderWeights w;
    private final KaldiFbank fbank;
    private final Fsq fsq;
    private final Parallel pool;
    private final AutoCloseable resources;

    /** {@code resources} (e.g. the mapped checkpoint) are closed with the encoder; may be null. */
    public XCodec2Encoder(EncoderConfig config, EncoderWeights weights, AutoCloseable resources) {
        if (config.sampleRate() != 16000 || config.melBins() != 80) {
            throw new IllegalArgumentException("the w2v-BERT front end needs 16 kHz audio and 80 mel bins, config has "
                    + config.sampleRate() + " Hz and " + config.melBins());
        }
        this.config = config;
        this.w = weights;
        this.fbank = KaldiFbank.w2vBert();
        this.fsq = new Fsq(config.levels());
        this.pool = Parallel.ofAvailableCores();
        this.resources = resources;
    }

    public EncoderConfig config() {
        return config;
    }

    /** Parameters of the forward pass run (conformer layers past the ones used are not counted). */
    public long parameterCount() {
        long n = 0;
        for (int[] shape : EncoderWeights.expectedShapes(config).values()) {
            long p = 1;
            for (int d : shape) p *= d;
            n += p;
        }
        return n;
    }

    /** Every intermediate of one encode (for tests and diagnostics). */
    public record Trace(int frames, float[] features, List<float[]> hiddenStates, float[] adapted, float[] acoustic,
            float[] fused, int[] codes, Timing timing) {}

    /** Wall seconds of the stages of one encode. */
    public record Timing(double features, double semantic, double acoustic, double quantizer) {
        public double total() {
            return features + semantic + acoustic + quantizer;
        }
    }

    /** Codes of mono 16 kHz audio: ceil((samples + 1) / hop) of them. */
    public int[] encode(float[] audio) {
        return trace(audio, false).codes();
    }

    /** Runs the encoder keeping the intermediates ({@code keepHidden}: every conformer hidden state too). */
    public Trace trace(float[] audio, boolean keepHidden) {
        int hop = config.hopLength();
        int padded = (audio.length + 1 + hop - 1) / hop * hop;
        float[] wave = Arrays.copyOf(audio, padded);
        long t0 = System.nanoTime();
        float[] features = features(wave);
        long t1 = System.nanoTime();
        int frames = padded / hop;
        List<float[]> hidden = new ArrayList<>();
        float[] semantic = semantic(features, frames, keepHidden ? hidden : null);
        float[] adapted = adapter(semantic, frames);
        long t2 = System.nanoTime();
        float[] acoustic = acoustic(wave);
        long t3 = System.nanoTime();
        int t = Math.min(frames, acoustic.length / config.acousticOut());
        int sh = config.semanticHidden();
        int ah = config.acousticOut();
        int q = config.quantizationDim();
        float[] cat = new float[t * q];
        for (int i = 0; i < t; i++) {
            System.arraycopy(adapted, i * sh, cat, i * q, sh);
            System.arraycopy(acoustic, i * ah, cat, i * q + sh, ah);
        }
        float[] fused = matmulTransposed(cat, t, q, w.fcWeight, q, w.fcBias);
        float[] z = matmulTransposed(fused, t, q, w.projectIn, config.levels().length, w.projectInBias);
        int[] codes = fsq.encode(z, t, 2);
        long t4 = System.nanoTime();
        return new Trace(t, features, hidden, adapted, acoustic, fused, codes,
                new Timing((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9));
    }

    // ---- front end ---------------------------------------------------------------------------------------

    /** [frames, 160]: normalised fbank of the padded audio with hop/2 zeros each side, pairs of frames stacked. */
    float[] features(float[] padded) {
        int half = config.hopLength() / 2;
        float[] x = new float[padded.length + 2 * half];
        System.arraycopy(padded, 0, x, half, padded.length);
        float[] fb = fbank.compute(x, 32768.0);
        int bins = fbank.bins();
        int n = fbank.frames(x.length);
        for (int b = 0; b < bins; b++) {
            double sum = 0;
            for (int f = 0; f < n; f++) sum += fb[f * bins + b];
            double mean = sum / n;
            double sq = 0;
            for (int f = 0; f < n; f++) {
                double d = fb[f * bins + b] - mean;
                sq += d * d;
            }
            double std = Math.sqrt((n > 1 ? sq / (n - 1) : Double.NaN) + 1e-7);
            for (int f = 0; f < n; f++) fb[f * bins + b] = (float) ((fb[f * bins + b] - mean) / std);
        }
        int even = n - n % 2;
        return Arrays.copyOf(fb, even * bins); // row-major: rows of 2 x 80 are the stacked pairs
    }

    // ---- semantic branch -------------------------------------------------------------------------------

    private float[] semantic(float[] features, int frames, List<float[]> hidden) {
        int f = config.featureDim();
        int rows = Math.min(frames, features.length / f);
        float eps = (float) config.layerNormEps();
        float[] x = features.clone();
        layerNorm(x, rows, f, eps, w.featureNorm.gamma(), w.featureNorm.beta());
        x = linear(x, rows, w.featureProjection);
        if (hidden != null) hidden.add(x.clone());
        for (ConformerLayer layer : w.layers) {
            x = conformer(x, rows, layer);
            if (hidden != null) hidden.add(x.clone());
        }
        return x;
    }

    private float[] conformer(float[] x, int t, ConformerLayer l) {
        int h = config.semanticHidden();
        float eps = (float) config.layerNormEps();
        addScaled(x, ffn(normed(x, t, l.ffn1Norm()), t, l.ffn1Up(), l.ffn1Down()), 0.5f);
        addScaled(x, attention(normed(x, t, l.attnNorm()), t, l), 1f);
        addScaled(x, convModule(x, t, l), 1f);
        addScaled(x, ffn(normed(x, t, l.ffn2Norm()), t, l.ffn2Up(), l.ffn2Down()), 0.5f);
        layerNorm(x, t, h, eps, l.finalNorm().gamma(), l.finalNorm().beta());
        return x;
    }

    private float[] normed(float[] x, int t, Norm n) {
        float[] y = x.clone();
        layerNorm(y, t, config.semanticHidden(), (float) config.layerNormEps(), n.gamma(), n.beta());
        return y;
    }

    private float[] ffn(float[] x, int t, Linear up, Linear down) {
        float[] u = linear(x, t, up);
        silu(u);
        return linear(u, t, down);
    }

    /** Multi-head self-attention with relative-key position scores: (q.k + q.E[clamp(r - l)]) / sqrt(d). */
    private float[] attention(float[] x, int t, ConformerLayer l) {
        int hidden = config.semanticHidden();
        int heads = config.semanticHeads();
        int d = config.semanticHeadDim();
        int left = config.leftMaxPosition();
        int right = config.rightMaxPosition();
        int positions = left + right + 1;
        float[] q = linear(x, t, l.q());
        float[] k = linear(x, t, l.k());
        float[] v = linear(x, t, l.v());
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] out = new float[t * hidden];
        float[] qh = new float[t * d];
        float[] kt = new float[d * t];
        float[] vt = new float[d * t];
        int chunk = 16;
        for (int head = 0; head < heads; head++) {
            int off = head * d;
            for (int i = 0; i < t; i++) {
                System.arraycopy(q, i * hidden + off, qh, i * d, d);
                for (int j = 0; j < d; j++) {
                    kt[j * t + i] = k[i * hidden + off + j];
                    vt[j * t + i] = v[i * hidden + off + j];
                }
            }
            // scores row i = sum_j q[i][j] * K^T[j][:] (head dims are short: rows of broadcast FMAs, no lane sums)
            float[] scores = new float[t * t];
            forEachRange((t + chunk - 1) / chunk, (from, to) -> {
                for (int i = from * chunk; i < Math.min(t, to * chunk); i++) {
                    for (int j = 0; j < d; j++) {
                        org.llasalab.tensor.Kernels.axpy(qh[i * d + j], kt, j * t, scores, i * t, t);
                    }
                }
            });
            float[] pos = matmulTransposed(qh, t, d, l.distance(), positions, null);
            for (int i = 0; i < t; i++) {
                for (int r = 0; r < t; r++) {
                    int dist = Math.max(-left, Math.min(right, r - i)) + left;
                    scores[i * t + r] = (scores[i * t + r] + pos[i * positions + dist]) * scale;
                }
            }
            softmaxRows(scores, t, t);
            float[] ctx = matmulTransposed(scores, t, t, vt, d, null);
            for (int i = 0; i < t; i++) System.arraycopy(ctx, i * d, out, i * hidden + off, d);
        }
        return linear(out, t, l.o());
    }

    /** LN, pointwise conv to 2h, GLU, causal depthwise conv, LN, swish, pointwise conv. */
    private float[] convModule(float[] x, int t, ConformerLayer l) {
        int h = config.semanticHidden();
        int k = config.depthwiseKernel();
        float[] a = matmul(normed(x, t, l.convNorm()), t, l.pointwise1());
        float[] g = new float[t * h];
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < h; c++) {
                float gate = a[i * 2 * h + h + c];
                g[i * h + c] = a[i * 2 * h + c] / (1f + (float) Math.exp(-gate));
            }
        }
        float[] dw = new float[t * h];
        float[] wd = l.depthwise();
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < k; j++) {
                int src = i - (k - 1) + j;
                if (src < 0) continue;
                for (int c = 0; c < h; c++) dw[i * h + c] += wd[c * k + j] * g[src * h + c];
            }
        }
        layerNorm(dw, t, h, (float) config.layerNormEps(), l.depthwiseNorm().gamma(), l.depthwiseNorm().beta());
        silu(dw);
        return matmul(dw, t, l.pointwise2());
    }

    /** h = conv1(x); out = conv4(conv3(relu(conv2(relu h))) + relu h) (the reference's in-place ReLU feeds the residual). */
    private float[] adapter(float[] x, int t) {
        List<Conv> a = w.adapter;
        float[] h = conv(x, t, a.get(0), 1, 1, 1);
        relu(h);
        float[] y = conv(h, t, a.get(1), 1, 1, 1);
        relu(y);
        y = conv(y, t, a.get(2), 1, 1, 1);
        addScaled(y, h, 1f);
        return conv(y, t, a.get(3), 1, 1, 1);
    }

    // ---- acoustic branch ------------------------------------------------------------------------------

    private float[] acoustic(float[] wave) {
        int t = wave.length;
        float[] x = conv(wave, t, w.acousticIn, 1, 1, 3);
        for (Block b : w.blocks) {
            for (ResUnit u : b.units()) {
                int c = u.conv1().in();
                float[] y = antiAliasedSnake(x, t, c, u.snake1());
                y = conv(y, t, u.conv1(), 1, u.dilation(), 3 * u.dilation());
                y = antiAliasedSnake(y, t, c, u.snake2());
                y = conv(y, t, u.conv2(), 1, 1, 0);
                addScaled(x, y, 1f);
            }
            int c = b.down().in();
            x = antiAliasedSnake(x, t, c, b.snake());
            int s = b.stride();
            int pad = (s + 1) / 2;
            int out = (t + 2 * pad - 2 * s) / s + 1;
            x = conv(x, out, b.down(), s, 1, pad);
            t = out;
        }
        x = antiAliasedSnake(x, t, w.acousticSnake.alpha().length, w.acousticSnake);
        return conv(x, t, w.acousticOut, 1, 1, 1);
    }

    /**
     * Upsample x2 (replicate-padded polyphase Kaiser sinc), SnakeBeta, downsample x2 (replicate-padded Kaiser
     * sinc, stride 2): [t, c] to [t, c].
     */
    private static float[] antiAliasedSnake(float[] x, int t, int c, Snake snake) {
        float[] f = ALIAS_FILTER;
        int k = f.length;              // 12
        int pad = k / 2 - 1;           // 5 replicated samples each side before upsampling
        int crop = pad * 2 + (k - 2) / 2; // 15 leading samples dropped after the transposed conv
        float[] up = new float[2 * t * c];
        int chunk = 256;
        forEachRange((2 * t + chunk - 1) / chunk, (from, to) -> {
            for (int n = from * chunk; n < Math.min(2 * t, to * chunk); n++) {
                int m = n + crop;
                int iLo = Math.max(0, (m - k + 2) / 2);
                int iHi = m / 2;
                int row = n * c;
                for (int i = iLo; i <= iHi; i++) {
                    int tap = m - 2 * i;
                    if (tap >= k) continue;
                    int src = Math.max(0, Math.min(t - 1, i - pad));
                    org.llasalab.tensor.Kernels.axpy(2f * f[tap], x, src * c, up, row, c);
                }
                snakeRow(up, row, c, snake);
            }
        });
        float[] y = new float[t * c];
        int left = k / 2 - 1;          // 5 (even kernel)
        forEachRange((t + chunk - 1) / chunk, (from, to) -> {
            for (int i = from * chunk; i < Math.min(t, to * chunk); i++) {
                int row = i * c;
                for (int j = 0; j < k; j++) {
                    int src = Math.max(0, Math.min(2 * t - 1, 2 * i + j - left));
                    org.llasalab.tensor.Kernels.axpy(f[j], up, src * c, y, row, c);
                }
            }
        });
        return y;
    }

    /** v + invBeta * sin^2(alpha v) over one row of channels. */
    private static void snakeRow(float[] x, int off, int c, Snake s) {
        float[] a = s.alpha();
        float[] ib = s.invBeta();
        int i = 0;
        for (int bound = S.loopBound(c); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            FloatVector sin = v.mul(FloatVector.fromArray(S, a, i)).lanewise(VectorOperators.SIN);
            v.add(sin.mul(sin).mul(FloatVector.fromArray(S, ib, i))).intoArray(x, off + i);
        }
        for (; i < c; i++) {
            float v = x[off + i];
            float sin = (float) Math.sin(v * a[i]);
            x[off + i] = v + ib[i] * sin * sin;
        }
    }

    /**
     * Convolution of time-major x [?, in] with zero padding {@code pad} on the left (and as needed on the right) into
     * {@code outFrames} frames: y[o] = sum_j W[:, j, :] . x[o * stride + j * dilation - pad]. Windows of output rows are
     * gathered into rows of k x in values (about 1 MB of them at a time, so that they stay in cache while the weights
     * stream past) and multiplied with the [out, k x in] weights.
     */
    private float[] conv(float[] x, int outFrames, Conv cv, int stride, int dilation, int pad) {
        int in = cv.in();
        int k = cv.kernel();
        int out = cv.out();
        int inFrames = x.length / in;
        int width = k * in;
        int rows = Math.max(16, (1 << 18) / width) / 4 * 4;
        rows = Math.min(rows, (outFrames + 3) / 4 * 4);
        float[] y = new float[outFrames * out];
        float[] cols = new float[rows * width];
        float[] part = new float[rows * out];
        for (int r0 = 0; r0 < outFrames; r0 += rows) {
            int n = Math.min(rows, outFrames - r0);
            int n4 = (n + 3) / 4 * 4;
            for (int r = 0; r < n4; r++) {
                int base = (r0 + r) * stride - pad;
                for (int j = 0; j < k; j++) {
                    int src = base + j * dilation;
                    int at = r * width + j * in;
                    if (r >= n || src < 0 || src >= inFrames) Arrays.fill(cols, at, at + in, 0f);
                    else System.arraycopy(x, src * in, cols, at, in);
                }
            }
            MatMul.run(pool, cv.weight(), cols, n4, part);
            System.arraycopy(part, 0, y, r0 * out, n * out);
        }
        if (cv.bias() != null) addBias(y, outFrames, cv.bias());
        return y;
    }

    // ---- small helpers --------------------------------------------------------------------------------

    private float[] linear(float[] x, int rows, Linear l) {
        float[] y = matmul(x, rows, l.w());
        if (l.bias() != null) addBias(y, rows, l.bias());
        return y;
    }

    /**
     * y [rows, W.rows] = x [rows, W.cols] W^T, in passes of {@link #ROWS_PER_PASS} rows, each padded with zero rows to
     * a multiple of 4 (the blocked kernels' fast path takes activation rows 4 at a time).
     */
    private float[] matmul(float[] x, int rows, WeightMatrix m) {
        int in = m.cols();
        int out = m.rows();
        float[] y = new float[rows * out];
        float[] part = new float[ROWS_PER_PASS * out];
        float[] xs = new float[ROWS_PER_PASS * in];
        for (int r0 = 0; r0 < rows; r0 += ROWS_PER_PASS) {
            int n = Math.min(ROWS_PER_PASS, rows - r0);
            int n4 = (n + 3) / 4 * 4;
            System.arraycopy(x, r0 * in, xs, 0, n * in);
            Arrays.fill(xs, n * in, n4 * in, 0f);
            MatMul.run(pool, m, xs, n4, part);
            System.arraycopy(part, 0, y, r0 * out, n * out);
        }
        return y;
    }

    private static void addBias(float[] y, int rows, float[] bias) {
        int out = bias.length;
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) y[r * out + o] += bias[o];
        }
    }

    private static void addScaled(float[] acc, float[] delta, float scale) {
        for (int i = 0; i < acc.length; i++) acc[i] += delta[i] * scale;
    }

    private static void relu(float[] x) {
        for (int i = 0; i < x.length; i++) if (x[i] < 0) x[i] = 0;
    }

    /** The Kaiser-windowed sinc low-pass of the anti-aliasing resamplers, normalised to unit DC gain (f32 as torch). */
    static float[] kaiserSinc(double cutoff, double halfWidth, int taps) {
        int half = taps / 2;
        double attenuation = 2.285 * (half - 1) * Math.PI * 4 * halfWidth + 7.95;
        double beta = attenuation > 50 ? 0.1102 * (attenuation - 8.7)
                : attenuation >= 21 ? 0.5842 * Math.pow(attenuation - 21, 0.4) + 0.07886 * (attenuation - 21) : 0;
        double[] h = new double[taps];
        double sum = 0;
        for (int i = 0; i < taps; i++) {
            double ratio = 2.0 * i / (taps - 1) - 1;
            double window = Resampler.besselI0(beta * Math.sqrt(1 - ratio * ratio)) / Resampler.besselI0(beta);
            double time = taps % 2 == 0 ? i - half + 0.5 : i - half;
            double arg = 2 * cutoff * time;
            double sinc = arg == 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
            h[i] = 2 * cutoff * window * sinc;
            sum += h[i];
        }
        float[] out = new float[taps];
        for (int i = 0; i < taps; i++) out[i] = (float) (h[i] / sum);
        return out;
    }

    @Override
    public void close() {
        pool.close();
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the encoder's weights: " + e.getMessage(), e);
            }
        }
    }
}
