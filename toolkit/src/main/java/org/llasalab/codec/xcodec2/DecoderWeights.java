package org.llasalab.codec.xcodec2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The decoder's weights, typed, from either checkpoint layout:
 * <ul>
 *   <li>transformers-native ({@code quantizer.project_out}, {@code decoder.fc}, {@code decoder.embed},
 *       {@code decoder.prior_net.N} or {@code decoder.prior_resnet_blockN}, {@code decoder.layers.N.self_attn.*_proj},
 *       {@code decoder.post_net.N}, {@code decoder.norm} or {@code decoder.final_layer_norm}, {@code decoder.head.linear});</li>
 *   <li>the original HKUSTAudio/xcodec2 release ({@code generator.backbone.*} with a fused {@code att.c_attn},
 *       {@code generator.head.out}, {@code generator.quantizer.*}, top-level {@code fc_post_a}); its q/k rows are
 *       in torchtune's interleaved rotary order and are permuted here to the half-split order the forward pass uses.</li>
 * </ul>
 * Encoder weights and buffers of either layout are tolerated; any other unknown key, any missing decoder key
 * and any shape mismatch are reported together in ONE exception.
 */
public final class DecoderWeights {
    /** A source of named tensors: a safetensors file, or tensors built in memory. */
    public interface Source {
        Set<String> names();

        Tensor get(String name) throws IOException;

        /** Names the source in errors. */
        String describe();
    }

    public record Linear(float[] weight, float[] bias, int out, int in) {}

    public record Conv(float[] weight, float[] bias, int out, int in, int kernel) {}

    public record Norm(float[] gamma, float[] beta) {}

    public record ResBlock(Norm norm1, Conv conv1, Norm norm2, Conv conv2) {}

    public record Layer(float[] attnNorm, Linear q, Linear k, Linear v, Linear o, float[] mlpNorm, Linear fc1, Linear fc2) {}

    public final Linear projectOut;
    public final Linear fc;
    public final Conv embed;
    public final List<ResBlock> priorNet;
    public final List<Layer> layers;
    public final List<ResBlock> postNet;
    public final Norm norm;
    public final Linear head;

    private DecoderWeights(Linear projectOut, Linear fc, Conv embed, List<ResBlock> priorNet, List<Layer> layers,
            List<ResBlock> postNet, Norm norm, Linear head) {
        this.projectOut = projectOut;
        this.fc = fc;
        this.embed = embed;
        this.priorNet = priorNet;
        this.layers = layers;
        this.postNet = postNet;
        this.norm = norm;
        this.head = head;
    }

    /** Prefixes of encoder weights, present in full checkpoints, that the decoder does not use. */
    private static final List<String> ENCODER_PREFIXES = List.of("CodecEnc.", "SemanticEncoder_module.", "semantic_model.",
            "fc_prior.", "acoustic_encoder.", "semantic_encoder.", "semantic_adapter.", "fc_encoder.",
            "quantizer.project_in.", "generator.quantizer.project_in.", "generator.quantizer.layers.",
            "quantizer.finite_scalar_quantization.");

    private static final String FUSED = "#fused:";

    /** Renamings to the transformers-native names, applied in order (first match wins). */
    private static final List<String[]> RENAMES = List.of(
            // prior/post_resnet_block1 and 2 are the blocks 0 and 1 of the prior/post net
            new String[] {"^decoder\\.prior_resnet_block1\\.", "decoder.prior_net.0."},
            new String[] {"^decoder\\.prior_resnet_block2\\.", "decoder.prior_net.1."},
            new String[] {"^decoder\\.post_resnet_block1\\.", "decoder.post_net.0."},
            new String[] {"^decoder\\.post_resnet_block2\\.", "decoder.post_net.1."},
            new String[] {"^decoder\\.final_layer_norm\\.", "decoder.norm."},
            new String[] {"^generator\\.backbone\\.transformers\\.(\\d+)\\.att\\.c_attn\\.", FUSED + "decoder.layers.$1.self_attn."},
            new String[] {"^generator\\.backbone\\.transformers\\.(\\d+)\\.att\\.c_proj\\.", "decoder.layers.$1.self_attn.o_proj."},
            new String[] {"^generator\\.backbone\\.transformers\\.(\\d+)\\.att_norm\\.", "decoder.layers.$1.input_layernorm."},
            new String[] {"^generator\\.backbone\\.transformers\\.(\\d+)\\.ffn_norm\\.", "decoder.layers.$1.post_attention_layernorm."},
            new String[] {"^generator\\.backbone\\.transformers\\.(\\d+)\\.mlp\\.", "decoder.layers.$1.mlp."},
            new String[] {"^generator\\.backbone\\.final_layer_norm\\.", "decoder.norm."},
            new String[] {"^generator\\.backbone\\.", "decoder."},
            new String[] {"^generator\\.head\\.out\\.", "decoder.head.linear."},
            new String[] {"^generator\\.quantizer\\.project_out\\.", "quantizer.project_out."},
            new String[] {"^fc_post_a\\.", "decoder.fc."});

    private static final Pattern[] RENAME_PATTERNS = RENAMES.stream().map(r -> Pattern.compile(r[0])).toArray(Pattern[]::new);

    /** How one native name is obtained: a tensor of the source, or a third of a fused q/k/v tensor. */
    private record Origin(String sourceName, int fusedPart) {}

    /** Loads and checks every decoder weight for {@code config}. */
    public static DecoderWeights load(Source source, XCodec2Config config) throws IOException {
        Map<String, Origin> native_ = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(source.names())) {
            if (ENCODER_PREFIXES.stream().anyMatch(name::startsWith) || name.endsWith(".window")) {
                continue;
            }
            String mapped = rename(name);
            if (mapped.startsWith(FUSED)) {
                String base = mapped.substring(FUSED.length());
                String suffix = base.substring(base.lastIndexOf('.') + 1);
                String prefix = base.substring(0, base.lastIndexOf('.') + 1);
                String[] parts = {"q_proj.", "k_proj.", "v_proj."};
                for (int p = 0; p < 3; p++) native_.put(prefix + parts[p] + suffix, new Origin(name, p));
            } else {
                native_.put(mapped, new Origin(name, -1));
            }
        }
        Map<String, int[]> expected = expectedShapes(config);
        for (Map.Entry<String, Origin> e : native_.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                unknown.add(e.getValue().sourceName().equals(e.getKey()) ? e.getKey()
                        : e.getValue().sourceName() + " (as " + e.getKey() + ")");
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> badShape = new ArrayList<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, Tensor> fusedCache = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            String name = e.getKey();
            Origin origin = native_.get(name);
            if (origin == null) {
                if (!isOptional(name)) missing.add(name);
                continue;
            }
            Tensor t;
            if (origin.fusedPart() < 0) {
                t = source.get(origin.sourceName());
            } else {
                Tensor fused = fusedCache.get(origin.sourceName());
                if (fused == null) {
                    fused = source.get(origin.sourceName());
                    fusedCache.put(origin.sourceName(), fused);
                }
                t = unfuse(fused, origin.fusedPart(), name, config);
                if (t == null) {
                    badShape.add(origin.sourceName() + " " + fused.shapeString() + " (expected [3*" + config.hiddenSize()
                            + ", " + config.hiddenSize() + "])");
                    continue;
                }
            }
            if (!Arrays.equals(t.shape(), e.getValue())) {
                badShape.add(origin.sourceName() + " " + t.shapeString() + " (expected " + Arrays.toString(e.getValue()) + ")");
                continue;
            }
            values.put(name, t.data());
        }
        if (!unknown.isEmpty() || !missing.isEmpty() || !badShape.isEmpty()) {
            StringBuilder msg = new StringBuilder(source.describe()).append(": not an X-codec2 decoder for its config.json:");
            if (!missing.isEmpty()) msg.append("\n  missing ").append(missing.size()).append(" keys: ").append(missing);
            if (!unknown.isEmpty()) msg.append("\n  unknown ").append(unknown.size()).append(" keys: ").append(unknown);
            if (!badShape.isEmpty()) msg.append("\n  wrong shapes: ").append(badShape);
            throw new IOException(msg.toString());
        }
        return assemble(values, config);
    }

    private static String rename(String name) {
        for (int i = 0; i < RENAME_PATTERNS.length; i++) {
            Matcher m = RENAME_PATTERNS[i].matcher(name);
            if (m.find()) {
                return m.replaceFirst(RENAMES.get(i)[1]);
            }
        }
        return name;
    }

    /** Biases the reference models do not have but a variant may; absent is fine. */
    private static boolean isOptional(String name) {
        return name.matches("decoder\\.layers\\.\\d+\\.(self_attn\\.[qkvo]_proj|mlp\\.fc[12])\\.bias");
    }

    /**
     * One of q/k/v from the original fused {@code c_attn} ([3*dim, dim], q, k, v stacked). q and k rows are
     * permuted from torchtune's interleaved pairs (2p, 2p+1) to the half-split pairs (p, p + d/2) per head.
     */
    private static Tensor unfuse(Tensor fused, int part, String name, XCodec2Config config) {
        int dim = config.hiddenSize();
        boolean isBias = name.endsWith(".bias");
        int cols = isBias ? 1 : dim;
        if (fused.shape().length != (isBias ? 1 : 2) || fused.dim(0) != 3 * dim || (!isBias && fused.dim(1) != dim)) {
            return null;
        }
        float[] out = new float[dim * cols];
        int hd = config.headDim();
        int half = hd / 2;
        for (int row = 0; row < dim; row++) {
            int src = row;
            if (part < 2) {
                int h = row / hd;
                int within = row % hd;
                int i = within / half; // 0: first half, 1: second half
                int p = within % half;
                src = h * hd + 2 * p + i;
            }
            System.arraycopy(fused.data(), (part * dim + src) * cols, out, row * cols, cols);
        }
        return new Tensor(name, isBias ? new int[] {dim} : new int[] {dim, dim}, out);
    }

    /** Every decoder weight of the transformers-native layout with its shape. */
    static Map<String, int[]> expectedShapes(XCodec2Config c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        int h = c.hiddenSize();
        int q = c.quantizationDim();
        int n = c.levels().length;
        m.put("quantizer.project_out.weight", new int[] {q, n});
        m.put("quantizer.project_out.bias", new int[] {q});
        m.put("decoder.fc.weight", new int[] {h, q});
        m.put("decoder.fc.bias", new int[] {h});
        m.put("decoder.embed.weight", new int[] {h, h, 7});
        m.put("decoder.embed.bias", new int[] {h});
        for (String net : new String[] {"prior_net", "post_net"}) {
            for (int b = 0; b < 2; b++) {
                String p = "decoder." + net + "." + b + ".";
                for (String norm : new String[] {"norm1", "norm2"}) {
                    m.put(p + norm + ".weight", new int[] {h});
                    m.put(p + norm + ".bias", new int[] {h});
                }
                for (String conv : new String[] {"conv1", "conv2"}) {
                    m.put(p + conv + ".weight", new int[] {h, h, 3});
                    m.put(p + conv + ".bias", new int[] {h});
                }
            }
        }
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "decoder.layers." + l + ".";
            m.put(p + "input_layernorm.weight", new int[] {h});
            m.put(p + "post_attention_layernorm.weight", new int[] {h});
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "o_proj"}) {
                m.put(p + "self_attn." + proj + ".weight", new int[] {h, h});
                m.put(p + "self_attn." + proj + ".bias", new int[] {h});
            }
            m.put(p + "mlp.fc1.weight", new int[] {c.intermediateSize(), h});
            m.put(p + "mlp.fc1.bias", new int[] {c.intermediateSize()});
            m.put(p + "mlp.fc2.weight", new int[] {h, c.intermediateSize()});
            m.put(p + "mlp.fc2.bias", new int[] {h});
        }
        m.put("decoder.norm.weight", new int[] {h});
        m.put("decoder.norm.bias", new int[] {h});
        m.put("decoder.head.linear.weight", new int[] {c.nFft() + 2, h});
        m.put("decoder.head.linear.bias", new int[] {c.nFft() + 2});
        return m;
    }

    private static DecoderWeights assemble(Map<String, float[]> v, XCodec2Config c) {
        int h = c.hiddenSize();
        List<ResBlock> prior = new ArrayList<>();
        List<ResBlock> post = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            prior.add(resBlock(v, "decoder.prior_net." + b + ".", h));
            post.add(resBlock(v, "decoder.post_net." + b + ".", h));
        }
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "decoder.layers." + l + ".";
            layers.add(new Layer(v.get(p + "input_layernorm.weight"),
                    linear(v, p + "self_attn.q_proj", h, h), linear(v, p + "self_attn.k_proj", h, h),
                    linear(v, p + "self_attn.v_proj", h, h), linear(v, p + "self_attn.o_proj", h, h),
                    v.get(p + "post_attention_layernorm.weight"),
                    linear(v, p + "mlp.fc1", c.intermediateSize(), h), linear(v, p + "mlp.fc2", h, c.intermediateSize())));
        }
        return new DecoderWeights(
                linear(v, "quantizer.project_out", c.quantizationDim(), c.levels().length),
                linear(v, "decoder.fc", h, c.quantizationDim()),
                new Conv(v.get("decoder.embed.weight"), v.get("decoder.embed.bias"), h, h, 7),
                List.copyOf(prior), List.copyOf(layers), List.copyOf(post),
                new Norm(v.get("decoder.norm.weight"), v.get("decoder.norm.bias")),
                linear(v, "decoder.head.linear", c.nFft() + 2, h));
    }

    private static Linear linear(Map<String, float[]> v, String prefix, int out, int in) {
        return new Linear(v.get(prefix + ".weight"), v.get(prefix + ".bias"), out, in);
    }

    private static ResBlock resBlock(Map<String, float[]> v, String p, int h) {
        return new ResBlock(new Norm(v.get(p + "norm1.weight"), v.get(p + "norm1.bias")),
                new Conv(v.get(p + "conv1.weight"), v.get(p + "conv1.bias"), h, h, 3),
                new Norm(v.get(p + "norm2.weight"), v.get(p + "norm2.bias")),
                new Conv(v.get(p + "conv2.weight"), v.get(p + "conv2.bias"), h, h, 3));
    }

    /** Number of parameters held. */
    public long parameterCount() {
        long n = count(projectOut) + count(fc) + embed.weight().length + embed.bias().length + count(head)
                + norm.gamma().length + norm.beta().length;
        for (ResBlock b : priorNet) n += count(b);
        for (ResBlock b : postNet) n += count(b);
        for (Layer l : layers) {
            n += l.attnNorm().length + l.mlpNorm().length + count(l.q()) + count(l.k()) + count(l.v()) + count(l.o())
                    + count(l.fc1()) + count(l.fc2());
        }
        return n;
    }

    private static long count(Linear l) {
        return l.weight().length + (l.bias() == null ? 0 : l.bias().length);
    }

    private static long count(ResBlock b) {
        return 4L * b.norm1().gamma().length + b.conv1().weight().length + b.conv1().bias().length
                + b.conv2().weight().length + b.conv2().bias().length;
    }
}
