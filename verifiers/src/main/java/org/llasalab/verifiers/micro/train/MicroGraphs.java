package org.llasalab.verifiers.micro.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.llasalab.verifiers.micro.CtcAsrModel;
import org.llasalab.verifiers.micro.MicroFrontEnd;
import org.llasalab.verifiers.micro.XVectorModel;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv1DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff training graphs of the micro verifiers, with the same parameter names and layouts as the
 * plain-Java models ({@link XVectorModel}, {@link CtcAsrModel}). Inputs are already normalised log-mel
 * frames {@code x} [B, T, 80] (channels last); {@code frontend.mean/std} are not graph parameters.
 */
public final class MicroGraphs {
    public static final String X = "x";
    public static final String LABELS = "labels";
    public static final String LOGIT_GRAD = "logit_grad";
    public static final String LOGITS = "logits";
    public static final String EMBEDDING = "embedding";
    public static final String LOSS = "loss";

    /** A built graph and its trainable parameter names. */
    public record Graph(SameDiff sd, List<String> parameters) {
        public Map<String, INDArray> parameterArrays() {
            Map<String, INDArray> m = new LinkedHashMap<>();
            for (String p : parameters) m.put(p, sd.getVariable(p).getArr());
            return m;
        }
    }

    private MicroGraphs() {}

    /** Random initial weights (He-normal convolutions and dense layers, unit norm gains, zero biases). */
    public static Map<String, float[]> initialWeights(Map<String, long[]> shapes, long seed, double residualScale) {
        Random r = new Random(seed);
        Map<String, float[]> w = new LinkedHashMap<>();
        for (var e : shapes.entrySet()) {
            long[] s = e.getValue();
            int n = 1;
            for (long d : s) n *= (int) d;
            float[] v = new float[n];
            String name = e.getKey();
            if (name.equals("frontend.std") || name.endsWith("norm.weight")) {
                java.util.Arrays.fill(v, 1f);
            } else if (name.endsWith(".weight")) {
                long fanIn = s.length == 3 ? s[0] * s[1] : s[0];
                double std = Math.sqrt(2.0 / fanIn) * (name.startsWith("block") ? residualScale : 1.0);
                if (name.equals("output.weight") || name.equals("classifier.weight")) std = Math.sqrt(1.0 / fanIn);
                for (int i = 0; i < n; i++) v[i] = (float) (std * r.nextGaussian());
            }
            w.put(name, v);
        }
        return w;
    }

    public static Graph xvector(XVectorModel.Config config, Map<String, float[]> init) {
        SameDiff sd = SameDiff.create();
        Map<String, long[]> shapes = XVectorModel.parameterShapes(config);
        Map<String, SDVariable> w = variables(sd, shapes, init);
        SDVariable x = sd.placeHolder(X, DataType.FLOAT, -1, -1, MicroFrontEnd.MELS);
        SDVariable labels = sd.placeHolder(LABELS, DataType.FLOAT, -1, config.labels().size());
        SDVariable h = sd.nn.relu(conv(sd, x, w, "tdnn1", 5, 2, 1), 0);
        h = sd.nn.relu(conv(sd, h, w, "tdnn2", 3, 1, 2), 0);
        h = sd.nn.relu(conv(sd, h, w, "tdnn3", 3, 1, 3), 0);
        h = sd.nn.relu(conv(sd, h, w, "tdnn4", 1, 1, 1), 0);
        SDVariable mean = sd.mean(h, 1);
        SDVariable meanSq = sd.mean(h.mul(h), 1);
        SDVariable std = sd.math.sqrt(sd.nn.relu(meanSq.sub(mean.mul(mean)), 0).add(XVectorModel.POOL_EPS));
        SDVariable stats = sd.concat(1, mean, std);
        SDVariable emb = sd.mmul(stats, w.get("embedding.weight")).add(w.get("embedding.bias"));
        sd.updateVariableNameAndReference(emb, EMBEDDING);
        SDVariable logits = sd.mmul(sd.nn.relu(emb, 0), w.get("classifier.weight")).add(w.get("classifier.bias"));
        sd.updateVariableNameAndReference(logits, LOGITS);
        SDVariable nll = sd.sum(labels.mul(sd.nn.logSoftmax(logits)), 1).neg();
        SDVariable loss = sd.mean(nll);
        sd.updateVariableNameAndReference(loss, LOSS);
        sd.setLossVariables(loss);
        return new Graph(sd, trainable(shapes));
    }

    /**
     * The CTC model's graph for a fixed batch size. The loss is {@code sum(logits * logit_grad)}: the CTC
     * gradient with respect to the logits is computed outside (see {@link Ctc}) and fed as a placeholder,
     * so the parameter gradients are exactly those of the CTC loss.
     */
    public static Graph ctc(CtcAsrModel.Config config, Map<String, float[]> init, int batch) {
        SameDiff sd = SameDiff.create();
        Map<String, long[]> shapes = CtcAsrModel.parameterShapes(config);
        Map<String, SDVariable> w = variables(sd, shapes, init);
        int c = config.channels(), v = config.symbols().size();
        SDVariable x = sd.placeHolder(X, DataType.FLOAT, batch, -1, MicroFrontEnd.MELS);
        SDVariable grad = sd.placeHolder(LOGIT_GRAD, DataType.FLOAT, batch, -1, v);
        SDVariable h = sd.nn.relu(conv(sd, x, w, "subsample", 5, 2, 1), 0);
        for (int i = 0; i < config.blocks(); i++) {
            SDVariable n = layerNorm(sd, h, w.get("block" + i + ".norm.weight"), w.get("block" + i + ".norm.bias"));
            h = h.add(sd.nn.relu(conv(sd, n, w, "block" + i + ".conv", config.kernel(), 1, 1), 0));
        }
        SDVariable n = layerNorm(sd, h, w.get("final_norm.weight"), w.get("final_norm.bias"));
        SDVariable flat = sd.reshape(n, -1, c);
        SDVariable logits = sd.reshape(sd.mmul(flat, w.get("output.weight")).add(w.get("output.bias")), batch, -1, v);
        sd.updateVariableNameAndReference(logits, LOGITS);
        SDVariable loss = sd.sum(logits.mul(grad));
        sd.updateVariableNameAndReference(loss, LOSS);
        sd.setLossVariables(loss);
        return new Graph(sd, trainable(shapes));
    }

    private static SDVariable layerNorm(SameDiff sd, SDVariable h, SDVariable gain, SDVariable bias) {
        SDVariable mu = sd.mean(h, true, 2);
        SDVariable xc = h.sub(mu);
        SDVariable var = sd.mean(xc.mul(xc), true, 2);
        return xc.mul(sd.math.rsqrt(var.add(CtcAsrModel.NORM_EPS))).mul(gain).add(bias);
    }

    private static SDVariable conv(SameDiff sd, SDVariable x, Map<String, SDVariable> w, String name, int k, int stride, int dilation) {
        Conv1DConfig cfg = Conv1DConfig.builder().k(k).s(stride).d(dilation).p(0).paddingMode(PaddingMode.SAME)
                .dataFormat("NWC").build();
        return sd.cnn.conv1d(x, w.get(name + ".weight"), w.get(name + ".bias"), cfg);
    }

    private static Map<String, SDVariable> variables(SameDiff sd, Map<String, long[]> shapes, Map<String, float[]> init) {
        Map<String, SDVariable> w = new LinkedHashMap<>();
        for (var e : shapes.entrySet()) {
            if (e.getKey().startsWith("frontend.")) continue;
            INDArray arr = Nd4j.create(init.get(e.getKey()), e.getValue(), 'c');
            w.put(e.getKey(), sd.var(e.getKey(), arr));
        }
        return w;
    }

    private static List<String> trainable(Map<String, long[]> shapes) {
        List<String> out = new ArrayList<>();
        for (String k : shapes.keySet()) if (!k.startsWith("frontend.")) out.add(k);
        return out;
    }

    /** Current weights of the graph plus the front end's statistics, as f32 arrays by name. */
    public static Map<String, float[]> weights(Graph g, float[] mean, float[] std) {
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("frontend.mean", mean.clone());
        out.put("frontend.std", std.clone());
        for (String p : g.parameters()) out.put(p, g.sd().getVariable(p).getArr().dup('c').data().asFloat());
        return out;
    }
}
