package org.llasalab.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Llama decoder as a SameDiff graph, written with exactly the inference engine's mathematics:
 * <pre>
 *   x0      = onehot(ids) E                                    (embedding as a product: gather has no gradient)
 *   h       = x + Wo attn(rope(Wq n1(x)), rope(Wk n1(x)), Wv n1(x))   per block, n = RMSNorm
 *   x'      = h + Wdown (silu(Wgate n2(h)) * Wup n2(h))
 *   logits  = n(x_L) Head^T                                    (Head = E when tied)
 *   attn    = softmax(q k^T / sqrt(dh) + causal/padding bias) v, grouped-query: query head j uses kv head j / g
 *   rope(x) = x cos + rotate_half(x) sin,  rotate_half(x) = x R  (R a constant signed permutation)
 * </pre>
 * Parameters use the Hugging Face names and layouts ({@code [out, in]}, y = x W^T), so export is a copy.
 * The batch holds {@code batch} sequences of any common length T (placeholders are length-agnostic), so one
 * graph serves every length bucket.
 *
 * <p>Placeholders: {@code ids} and {@code labels} (int, [batch*T]), {@code weights} (float, [batch*T], loss
 * weight per position), {@code cos} and {@code sin} (float, [batch, T, 1, dh]) and {@code bias} (float,
 * [batch, 1, g*T, T], additive attention bias; see {@link TrainingBatch}).
 */
public final class LlamaTrainingGraph {
    public static final String LOSS = "loss";
    public static final String LOGITS = "logits";

    private final ModelShape shape;
    private final int batch;
    private final SameDiff sd;
    private final List<String> parameters = new ArrayList<>();

    private LlamaTrainingGraph(ModelShape shape, int batch, Map<String, INDArray> weights) {
        this.shape = shape;
        this.batch = batch;
        this.sd = SameDiff.create();
        build(weights);
    }

    /** A graph with freshly initialised weights (normal, std {@code initStd}; norm gains 1), from {@code seed}. */
    public static LlamaTrainingGraph initialise(ModelShape shape, int batch, long seed, double initStd) {
        return new LlamaTrainingGraph(shape, batch, initialWeights(shape, seed, initStd));
    }

    /** A graph holding the given weights (Hugging Face names and layouts). */
    public static LlamaTrainingGraph withWeights(ModelShape shape, int batch, Map<String, INDArray> weights) {
        return new LlamaTrainingGraph(shape, batch, weights);
    }

    /** Names and shapes of every trainable tensor, in Hugging Face layout and a fixed order. */
    public static Map<String, long[]> parameterShapes(ModelShape s) {
        Map<String, long[]> out = new LinkedHashMap<>();
        long d = s.hidden(), kv = (long) s.kvHeads() * s.headDim(), f = s.intermediate();
        out.put("model.embed_tokens.weight", new long[] {s.vocabSize(), d});
        for (int i = 0; i < s.layers(); i++) {
            String p = "model.layers." + i + ".";
            out.put(p + "input_layernorm.weight", new long[] {d});
            out.put(p + "self_attn.q_proj.weight", new long[] {d, d});
            out.put(p + "self_attn.k_proj.weight", new long[] {kv, d});
            out.put(p + "self_attn.v_proj.weight", new long[] {kv, d});
            out.put(p + "self_attn.o_proj.weight", new long[] {d, d});
            out.put(p + "post_attention_layernorm.weight", new long[] {d});
            out.put(p + "mlp.gate_proj.weight", new long[] {f, d});
            out.put(p + "mlp.up_proj.weight", new long[] {f, d});
            out.put(p + "mlp.down_proj.weight", new long[] {d, f});
        }
        out.put("model.norm.weight", new long[] {d});
        if (!s.tiedEmbeddings()) out.put("lm_head.weight", new long[] {s.vocabSize(), d});
        return out;
    }

    /** Whether a parameter is a norm gain (rank 1), which AdamW conventionally does not decay. */
    public static boolean isNormGain(String name) {
        return name.endsWith("layernorm.weight") || name.equals("model.norm.weight");
    }

    static Map<String, INDArray> initialWeights(ModelShape s, long seed, double std) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, INDArray> out = new LinkedHashMap<>();
        parameterShapes(s).forEach((name, dims) -> {
            long n = 1;
            for (long dim : dims) n *= dim;
            float[] values = new float[Math.toIntExact(n)];
            if (isNormGain(name)) {
                java.util.Arrays.fill(values, 1f);
            } else {
                for (int i = 0; i < values.length; i++) values[i] = (float) (std * gaussian(random));
            }
            out.put(name, Nd4j.create(values, dims, 'c'));
        });
        return out;
    }

    private static double gaussian(SplittableRandom r) { // Box-Muller, deterministic for a seed
        double u = 1.0 - r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private void build(Map<String, INDArray> weights) {
        int d = shape.hidden(), dh = shape.headDim(), h = shape.heads(), kvh = shape.kvHeads(), g = shape.groupSize();
        Map<String, SDVariable> w = new LinkedHashMap<>();
        parameterShapes(shape).forEach((name, dims) -> {
            INDArray value = weights.get(name);
            if (value == null) throw new IllegalArgumentException("missing weight " + name);
            if (!java.util.Arrays.equals(value.shape(), dims)) {
                throw new IllegalArgumentException("weight " + name + " has shape " + java.util.Arrays.toString(value.shape())
                        + ", expected " + java.util.Arrays.toString(dims));
            }
            w.put(name, sd.var(name, value.castTo(DataType.FLOAT).dup('c')));
            parameters.add(name);
        });

        SDVariable ids = sd.placeHolder("ids", DataType.INT, -1);
        SDVariable labels = sd.placeHolder("labels", DataType.INT, -1);
        SDVariable lossWeights = sd.placeHolder("weights", DataType.FLOAT, -1);
        SDVariable cos = sd.placeHolder("cos", DataType.FLOAT, batch, -1, 1, dh);
        SDVariable sin = sd.placeHolder("sin", DataType.FLOAT, batch, -1, 1, dh);
        SDVariable bias = sd.placeHolder("bias", DataType.FLOAT, batch, 1, -1, -1);
        SDVariable rotateHalf = sd.constant("rotate_half", rotateHalfMatrix(dh));

        SDVariable embed = w.get("model.embed_tokens.weight");
        SDVariable x = sd.mmul(sd.oneHot(ids, shape.vocabSize(), -1, 1.0, 0.0, DataType.FLOAT), embed); // [N, d]
        for (int i = 0; i < shape.layers(); i++) {
            String p = "model.layers." + i + ".";
            SDVariable n1 = rmsNorm(x, w.get(p + "input_layernorm.weight"));
            SDVariable q = rope(linear(n1, w.get(p + "self_attn.q_proj.weight")), h, cos, sin, rotateHalf);   // [B,T,H,dh]
            SDVariable k = rope(linear(n1, w.get(p + "self_attn.k_proj.weight")), kvh, cos, sin, rotateHalf); // [B,T,KV,dh]
            SDVariable v = sd.reshape(linear(n1, w.get(p + "self_attn.v_proj.weight")), batch, -1, kvh, dh);
            // Query heads h = kv*g + j share kv head kv: stack each group's g heads along time.
            SDVariable qg = sd.reshape(sd.permute(q, 0, 2, 1, 3), batch, kvh, -1, dh);                   // [B,KV,g*T,dh]
            SDVariable kt = sd.permute(k, 0, 2, 1, 3);                                                     // [B,KV,T,dh]
            SDVariable vt = sd.permute(v, 0, 2, 1, 3);
            SDVariable scores = sd.mmul(qg, kt, false, true, false).mul(1.0 / Math.sqrt(dh)).add(bias);    // [B,KV,g*T,T]
            SDVariable context = sd.mmul(sd.nn.softmax(scores, -1), vt);                                    // [B,KV,g*T,dh]
            SDVariable merged = sd.reshape(sd.permute(sd.reshape(context, batch, h, -1, dh), 0, 2, 1, 3), -1, d);
            SDVariable attnOut = x.add(linear(merged, w.get(p + "self_attn.o_proj.weight")));
            SDVariable n2 = rmsNorm(attnOut, w.get(p + "post_attention_layernorm.weight"));
            SDVariable gate = sd.nn.swish(linear(n2, w.get(p + "mlp.gate_proj.weight")));
            SDVariable up = linear(n2, w.get(p + "mlp.up_proj.weight"));
            x = attnOut.add(linear(gate.mul(up), w.get(p + "mlp.down_proj.weight")));
        }
        SDVariable head = shape.tiedEmbeddings() ? embed : w.get("lm_head.weight");
        SDVariable logits = linear(rmsNorm(x, w.get("model.norm.weight")), head).rename(LOGITS);    // [N, V]
        SDVariable target = sd.oneHot(labels, shape.vocabSize(), -1, 1.0, 0.0, DataType.FLOAT);
        SDVariable loss = sd.loss.softmaxCrossEntropy(LOSS, target, logits, lossWeights,
                LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
        sd.setLossVariables(loss);
    }

    /** y = x W^T for a Hugging Face [out, in] weight. */
    private SDVariable linear(SDVariable x, SDVariable weight) {
        return sd.mmul(x, weight, false, true, false);
    }

    private SDVariable rmsNorm(SDVariable x, SDVariable gain) {
        SDVariable meanSquare = sd.mean(sd.math.square(x), true, -1);
        return x.mul(sd.math.rsqrt(meanSquare.add(shape.rmsEps()))).mul(gain);
    }

    /** [N, heads*dh] projections to rotated [B, T, heads, dh]. */
    private SDVariable rope(SDVariable projected, int heads, SDVariable cos, SDVariable sin, SDVariable rotateHalf) {
        int dh = shape.headDim();
        SDVariable rows = sd.reshape(projected, -1, dh);
        SDVariable x = sd.reshape(rows, batch, -1, heads, dh);
        SDVariable rotated = sd.reshape(sd.mmul(rows, rotateHalf), batch, -1, heads, dh);
        return x.mul(cos).add(rotated.mul(sin));
    }

    /** R with x R = concat(-x[dh/2:], x[:dh/2]) (the Hugging Face rotate_half). */
    static INDArray rotateHalfMatrix(int dh) {
        int half = dh / 2;
        float[][] r = new float[dh][dh];
        for (int j = 0; j < half; j++) r[j + half][j] = -1f;
        for (int j = half; j < dh; j++) r[j - half][j] = 1f;
        return Nd4j.create(r);
    }

    public SameDiff sameDiff() {
        return sd;
    }

    public ModelShape shape() {
        return shape;
    }

    /** Sequences per batch (fixed by the graph; shorter batches are padded with empty rows). */
    public int batch() {
        return batch;
    }

    /** Trainable tensor names in a fixed order. */
    public List<String> parameterNames() {
        return List.copyOf(parameters);
    }

    public INDArray parameter(String name) {
        return sd.getVariable(name).getArr();
    }

    /** The current weights (live arrays, Hugging Face names). */
    public Map<String, INDArray> weights() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : parameters) out.put(name, parameter(name));
        return out;
    }
}
