package org.llasalab.codec.xcodec2;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.llasalab.codec.xcodec2.DecoderWeights.Norm;
import org.llasalab.tensor.F32Tensor;
import org.llasalab.tensor.WeightMatrix;

/**
 * The encoder's weights, typed, from either checkpoint layout, under the transformers-native names:
 * {@code semantic_encoder.*} (a Wav2Vec2BertModel), {@code semantic_adapter.conv1..4}, {@code acoustic_encoder.*}
 * (conv1, block.N.res_unitK.{snake1,conv1,snake2,conv2}, block.N.{snake1,conv1}, snake1, conv2), {@code fc_encoder},
 * {@code quantizer.project_in}. The original release names them {@code semantic_model.*},
 * {@code SemanticEncoder_module.{initial_conv, residual_blocks.1, residual_blocks.3, final_conv}},
 * {@code CodecEnc.conv_blocks.0 / conv_blocks.N.block.K.block.J / conv_final_block.0,1} with weight-normed
 * convolutions ({@code weight_g}, {@code weight_v}: folded here into one weight), {@code fc_prior} and
 * {@code generator.quantizer.project_in}. The large conformer matrices stay in the (memory-mapped) source as
 * {@link WeightMatrix} views; convolutions, norms and biases are copied to f32 arrays. Conformer layers past the
 * ones X-codec2 runs, decoder weights and buffers (resampling filters, windows) are ignored; any other unknown
 * encoder key, any missing key and any shape mismatch are reported together in ONE exception.
 */
public final class EncoderWeights {
    /** A source of named tensors for the encoder: small ones as f32 arrays, large ones as matrices in place. */
    public interface Source {
        Set<String> names();

        int[] shape(String name) throws IOException;

        float[] floats(String name) throws IOException;

        /** The tensor as a [rows, cols] matrix used in place (its trailing dims of size 1 folded). */
        WeightMatrix matrix(String name, int rows, int cols) throws IOException;

        String describe();
    }

    /** A linear layer: y = W x + b (b may be null). */
    public record Linear(WeightMatrix w, float[] bias) {}

    /**
     * A 1-D convolution, its weights re-laid out as an [out, k x in] matrix (off-heap f32) so that one output frame is
     * one dot product with a contiguous window of time-major input rows.
     */
    public record Conv(WeightMatrix weight, float[] bias, int out, int in, int kernel) {}

    /** SnakeBeta with its per-channel parameters already exponentiated: x + invBeta * sin^2(alpha x). */
    public record Snake(float[] alpha, float[] invBeta) {}

    public record ResUnit(Snake snake1, Conv conv1, int dilation, Snake snake2, Conv conv2) {}

    public record Block(List<ResUnit> units, Snake snake, Conv down, int stride) {}

    public record ConformerLayer(Norm ffn1Norm, Linear ffn1Up, Linear ffn1Down, Norm attnNorm, Linear q, Linear k,
            Linear v, Linear o, float[] distance, Norm convNorm, WeightMatrix pointwise1, float[] depthwise, Norm depthwiseNorm,
            WeightMatrix pointwise2, Norm ffn2Norm, Linear ffn2Up, Linear ffn2Down, Norm finalNorm) {}

    public final Norm featureNorm;
    public final Linear featureProjection;
    public final List<ConformerLayer> layers;
    public final List<Conv> adapter;
    public final Conv acousticIn;
    public final List<Block> blocks;
    public final Snake acousticSnake;
    public final Conv acousticOut;
    public final float[] fcWeight;
    public final float[] fcBias;
    public final float[] projectIn;
    public final float[] projectInBias;

    private EncoderWeights(Loader l, EncoderConfig c) throws IOException {
        int h = c.semanticHidden();
        int f = c.featureDim();
        int inter = c.semanticIntermediate();
        String s = "semantic_encoder.";
        featureNorm = l.norm(s + "feature_projection.layer_norm", f);
        featureProjection = l.linear(s + "feature_projection.projection", h, f, true);
        List<ConformerLayer> ls = new ArrayList<>();
        int positions = c.leftMaxPosition() + c.rightMaxPosition() + 1;
        for (int i = 0; i < c.semanticLayers(); i++) {
            String p = s + "encoder.layers." + i + ".";
            ls.add(new ConformerLayer(l.norm(p + "ffn1_layer_norm", h),
                    l.linear(p + "ffn1.intermediate_dense", inter, h, true), l.linear(p + "ffn1.output_dense", h, inter, true),
                    l.norm(p + "self_attn_layer_norm", h),
                    l.linear(p + "self_attn.linear_q", h, h, true), l.linear(p + "self_attn.linear_k", h, h, true),
                    l.linear(p + "self_attn.linear_v", h, h, true), l.linear(p + "self_attn.linear_out", h, h, true),
                    l.floats(p + "self_attn.distance_embedding.weight", positions, c.semanticHeadDim()),
                    l.norm(p + "conv_module.layer_norm", h),
                    l.matrix(p + "conv_module.pointwise_conv1.weight", new int[] {2 * h, h, 1}),
                    l.floats(p + "conv_module.depthwise_conv.weight", h, 1, c.depthwiseKernel()),
                    l.norm(p + "conv_module.depthwise_layer_norm", h),
                    l.matrix(p + "conv_module.pointwise_conv2.weight", new int[] {h, h, 1}),
                    l.norm(p + "ffn2_layer_norm", h),
                    l.linear(p + "ffn2.intermediate_dense", inter, h, true), l.linear(p + "ffn2.output_dense", h, inter, true),
                    l.norm(p + "final_layer_norm", h)));
        }
        layers = Collections.unmodifiableList(ls); // entries may be null until load() reports what is missing
        adapter = Collections.unmodifiableList(Arrays.asList(l.conv("semantic_adapter.conv1", h, h, 3, false), l.conv("semantic_adapter.conv2", h, h, 3, true),
                l.conv("semantic_adapter.conv3", h, h, 3, true), l.conv("semantic_adapter.conv4", h, h, 3, false)));
        String a = "acoustic_encoder.";
        acousticIn = l.conv(a + "conv1", c.acousticChannels(), 1, 7, true);
        List<Block> bs = new ArrayList<>();
        int[] ratios = c.ratios();
        for (int i = 0; i < ratios.length; i++) {
            int ch = c.blockChannels(i) / 2;
            String p = a + "block." + i + ".";
            List<ResUnit> units = new ArrayList<>();
            int dilation = 1;
            for (int u = 1; u <= 3; u++, dilation *= 3) {
                String r = p + "res_unit" + u + ".";
                units.add(new ResUnit(l.snake(r + "snake1", ch), l.conv(r + "conv1", ch, ch, 7, true), dilation,
                        l.snake(r + "snake2", ch), l.conv(r + "conv2", ch, ch, 1, true)));
            }
            bs.add(new Block(Collections.unmodifiableList(units), l.snake(p + "snake1", ch), l.conv(p + "conv1", 2 * ch, ch, 2 * ratios[i], true),
                    ratios[i]));
        }
        blocks = Collections.unmodifiableList(bs);
        int last = c.blockChannels(ratios.length - 1);
        acousticSnake = l.snake(a + "snake1", last);
        acousticOut = l.conv(a + "conv2", c.acousticOut(), last, 3, true);
        int q = c.quantizationDim();
        fcWeight = l.floats("fc_encoder.weight", q, q);
        fcBias = l.floats("fc_encoder.bias", q);
        projectIn = l.floats("quantizer.project_in.weight", c.levels().length, q);
        projectInBias = l.floats("quantizer.project_in.bias", c.levels().length);
    }

    /** Whether a checkpoint with these tensor names holds an encoder (either layout). */
    public static boolean present(Set<String> names) {
        return names.stream().anyMatch(n -> n.startsWith("semantic_encoder.") || n.startsWith("semantic_model."));
    }

    /** Loads and checks every encoder weight for {@code config}. */
    public static EncoderWeights load(Source source, EncoderConfig config) throws IOException {
        Loader loader = new Loader(source, config);
        EncoderWeights w;
        try {
            w = new EncoderWeights(loader, config);
        } catch (IllegalStateException e) {
            throw new IOException(source.describe() + ": " + e.getMessage(), e);
        }
        loader.finish();
        return w;
    }

    /** Every encoder weight of the transformers-native layout with its shape (what a random encoder needs). */
    static Map<String, int[]> expectedShapes(EncoderConfig c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        Source recorder = new Source() {
            @Override
            public Set<String> names() {
                return Set.of();
            }

            @Override
            public int[] shape(String name) {
                return null;
            }

            @Override
            public float[] floats(String name) {
                return null;
            }

            @Override
            public WeightMatrix matrix(String name, int rows, int cols) {
                return null;
            }

            @Override
            public String describe() {
                return "shapes";
            }
        };
        Loader l = new Loader(recorder, c);
        l.record = m;
        try {
            new EncoderWeights(l, c);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    /** Renamings from the original release to the transformers-native names, applied in order, all that match. */
    private static final List<String[]> RENAMES = List.of(
            new String[] {"^semantic_model\\.", "semantic_encoder."},
            new String[] {"^SemanticEncoder_module\\.initial_conv\\.", "semantic_adapter.conv1."},
            new String[] {"^SemanticEncoder_module\\.residual_blocks\\.1\\.", "semantic_adapter.conv2."},
            new String[] {"^SemanticEncoder_module\\.residual_blocks\\.3\\.", "semantic_adapter.conv3."},
            new String[] {"^SemanticEncoder_module\\.final_conv\\.", "semantic_adapter.conv4."},
            new String[] {"^CodecEnc\\.conv_blocks\\.0\\.", "acoustic_encoder.conv1."},
            new String[] {"^CodecEnc\\.conv_final_block\\.0\\.", "acoustic_encoder.snake1."},
            new String[] {"^CodecEnc\\.conv_final_block\\.1\\.", "acoustic_encoder.conv2."},
            new String[] {"^CodecEnc\\.conv_blocks\\.(\\d+)\\.", "acoustic_encoder.block.#$1."},
            new String[] {"(\\.block\\.\\d+)\\.block\\.([0-2])\\.", "$1.res_unit#$2."},
            new String[] {"(\\.block\\.\\d+)\\.block\\.3\\.", "$1.snake1."},
            new String[] {"(\\.block\\.\\d+)\\.block\\.4\\.", "$1.conv1."},
            new String[] {"(\\.res_unit\\d+)\\.block\\.0\\.", "$1.snake1."},
            new String[] {"(\\.res_unit\\d+)\\.block\\.1\\.", "$1.conv1."},
            new String[] {"(\\.res_unit\\d+)\\.block\\.2\\.", "$1.snake2."},
            new String[] {"(\\.res_unit\\d+)\\.block\\.3\\.", "$1.conv2."},
            new String[] {"^fc_prior\\.", "fc_encoder."},
            new String[] {"^generator\\.quantizer\\.project_in\\.", "quantizer.project_in."});
    private static final Pattern[] RENAME_PATTERNS = RENAMES.stream().map(r -> Pattern.compile(r[0])).toArray(Pattern[]::new);
    private static final Pattern SHIFT = Pattern.compile("#(\\d+)");

    /** The transformers-native name of a (possibly original-layout) name. */
    static String nativeName(String name) {
        String n = name;
        for (int i = 0; i < RENAME_PATTERNS.length; i++) {
            Matcher m = RENAME_PATTERNS[i].matcher(n);
            if (m.find()) {
                n = m.replaceFirst(RENAMES.get(i)[1]);
                // original indices: conv_blocks.N (N >= 1) is block N-1; a block's block.K (K = 0..2) is res_unit K+1
                Matcher shift = SHIFT.matcher(n);
                if (shift.find()) {
                    int v = Integer.parseInt(shift.group(1));
                    n = shift.replaceFirst(String.valueOf(n.startsWith("acoustic_encoder.block.#") ? v - 1 : v + 1));
                }
            }
        }
        return n;
    }

    private static final List<String> ENCODER_PREFIXES = List.of("semantic_encoder.", "semantic_adapter.",
            "acoustic_encoder.", "fc_encoder.", "quantizer.project_in.");

    /** Encoder keys that are not weights of the forward pass X-codec2 runs. */
    private static boolean ignorable(String nativeName, EncoderConfig c) {
        if (nativeName.endsWith(".filter") || nativeName.endsWith(".window") || nativeName.endsWith("masked_spec_embed")) {
            return true;
        }
        if (nativeName.startsWith("semantic_encoder.adapter.") || nativeName.startsWith("semantic_encoder.intermediate_ffn.")) {
            return true; // after the last layer: X-codec2 reads a hidden state before them
        }
        Matcher m = LAYER.matcher(nativeName);
        return m.find() && Integer.parseInt(m.group(1)) >= c.semanticLayers();
    }

    private static final Pattern LAYER = Pattern.compile("^semantic_encoder\\.encoder\\.layers\\.(\\d+)\\.");

    /** Resolves native names against the source, checking shapes and collecting every problem. */
    private static final class Loader {
        private final Source source;
        private final EncoderConfig config;
        private final Map<String, String> byNative = new LinkedHashMap<>();
        private final Set<String> used = new HashSet<>();
        private final List<String> missing = new ArrayList<>();
        private final List<String> badShape = new ArrayList<>();
        Map<String, int[]> record;

        Loader(Source source, EncoderConfig config) {
            this.source = source;
            this.config = config;
            for (String n : source.names()) byNative.put(nativeName(n), n);
        }

        private boolean check(String name, int[] want) throws IOException {
            if (record != null) {
                record.put(name, want);
                return false;
            }
            String src = byNative.get(name);
            if (src == null) {
                missing.add(name);
                return false;
            }
            used.add(name);
            int[] got = source.shape(src);
            if (!Arrays.equals(got, want)) {
                badShape.add(src + " " + Arrays.toString(got) + " (expected " + Arrays.toString(want) + ")");
                return false;
            }
            return true;
        }

        float[] floats(String name, int... shape) throws IOException {
            return check(name, shape) ? source.floats(byNative.get(name)) : null;
        }

        WeightMatrix matrix(String name, int[] shape) throws IOException {
            return check(name, shape) ? source.matrix(byNative.get(name), shape[0], shape[1]) : null;
        }

        Norm norm(String prefix, int dim) throws IOException {
            return new Norm(floats(prefix + ".weight", dim), floats(prefix + ".bias", dim));
        }

        Linear linear(String prefix, int out, int in, boolean bias) throws IOException {
            return new Linear(matrix(prefix + ".weight", new int[] {out, in}), bias ? floats(prefix + ".bias", out) : null);
        }

        Snake snake(String prefix, int ch) throws IOException {
            float[] alpha = floats(prefix + ".act.alpha", ch);
            float[] beta = floats(prefix + ".act.beta", ch);
            if (alpha == null || beta == null) return null;
            float[] a = new float[ch];
            float[] ib = new float[ch];
            for (int i = 0; i < ch; i++) {
                a[i] = (float) Math.exp(alpha[i]);
                ib[i] = 1f / ((float) Math.exp(beta[i]) + 1e-9f);
            }
            return new Snake(a, ib);
        }

        /** A conv's weight: plain, or weight-normed (weight_g [out,1,1] x weight_v / ||weight_v|| per output channel). */
        Conv conv(String prefix, int out, int in, int k, boolean bias) throws IOException {
            int[] shape = {out, in, k};
            float[] w;
            String g = prefix + ".weight_g";
            String gp = prefix + ".parametrizations.weight.original0";
            if (record == null && !byNative.containsKey(prefix + ".weight") && (byNative.containsKey(g) || byNative.containsKey(gp))) {
                boolean old = byNative.containsKey(g);
                float[] gain = floats(old ? g : gp, out, 1, 1);
                float[] v = floats(old ? prefix + ".weight_v" : prefix + ".parametrizations.weight.original1", shape);
                w = gain == null || v == null ? null : fold(gain, v, out);
            } else {
                w = floats(prefix + ".weight", shape);
            }
            float[] b = bias ? floats(prefix + ".bias", out) : null;
            if (w == null) return null;
            // [out][in][k] -> [out][k][in]
            float[] r = new float[w.length];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    for (int j = 0; j < k; j++) r[(o * k + j) * in + i] = w[(o * in + i) * k + j];
                }
            }
            return new Conv(F32Tensor.of(Arena.ofAuto(), r, out, k * in), b, out, in, k);
        }

        private static float[] fold(float[] gain, float[] v, int out) {
            int per = v.length / out;
            float[] w = new float[v.length];
            for (int o = 0; o < out; o++) {
                double sq = 0;
                for (int i = 0; i < per; i++) sq += (double) v[o * per + i] * v[o * per + i];
                float scale = (float) (gain[o] / Math.sqrt(sq));
                for (int i = 0; i < per; i++) w[o * per + i] = v[o * per + i] * scale;
            }
            return w;
        }

        void finish() throws IOException {
            List<String> unknown = new ArrayList<>();
            for (Map.Entry<String, String> e : byNative.entrySet()) {
                String n = e.getKey();
                boolean encoder = ENCODER_PREFIXES.stream().anyMatch(n::startsWith);
                if (encoder && !used.contains(n) && !ignorable(n, config)) unknown.add(e.getValue());
            }
            if (!missing.isEmpty() || !unknown.isEmpty() || !badShape.isEmpty()) {
                StringBuilder msg = new StringBuilder(source.describe()).append(": not an X-codec2 encoder for its config.json:");
                if (!missing.isEmpty()) msg.append("\n  missing ").append(missing.size()).append(" keys: ").append(missing);
                if (!unknown.isEmpty()) msg.append("\n  unknown ").append(unknown.size()).append(" keys: ").append(unknown);
                if (!badShape.isEmpty()) msg.append("\n  wrong shapes: ").append(badShape);
                throw new IOException(msg.toString());
            }
        }
    }
}
