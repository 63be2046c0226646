package org.llasalab.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), applied in place to ND4J arrays:
 * <pre>
 *   m = b1 m + (1-b1) g          v = b2 v + (1-b2) g^2
 *   p = p - lr (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps) - lr wd p      (wd = 0 for norm gains)
 * </pre>
 * Gradients are first clipped to a global L2 norm over all parameters. SameDiff's built-in Adam decays
 * every parameter (norm gains too) and has no global-norm clipping, hence this class.
 */
public final class AdamW {
    private final double beta1, beta2, eps, weightDecay, clipNorm;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long step;

    public AdamW(double beta1, double beta2, double eps, double weightDecay, double clipNorm) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.clipNorm = clipNorm;
    }

    /** Global L2 norm of all gradients. */
    public static double globalNorm(Map<String, INDArray> grads) {
        double sum = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sum += n * n;
        }
        return Math.sqrt(sum);
    }

    /** One update of every parameter in {@code params} from {@code grads}; returns the gradient norm before clipping. */
    public double update(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
        double norm = globalNorm(grads);
        double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / (norm + 1e-6) : 1.0;
        step++;
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String name = e.getKey();
            INDArray p = e.getValue();
            INDArray g = grads.get(name);
            if (g == null) throw new IllegalStateException("no gradient for " + name);
            if (scale != 1.0) g = g.mul(scale);
            INDArray mi = m.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
            INDArray vi = v.computeIfAbsent(name, k -> Nd4j.zeros(p.dataType(), p.shape()));
            mi.muli(beta1).addi(g.mul(1 - beta1));
            vi.muli(beta2).addi(g.mul(g).muli(1 - beta2));
            double decay = LlamaTrainingGraph.isNormGain(name) ? 0 : weightDecay;
            if (decay > 0) p.muli(1 - lr * decay);
            INDArray denom = Transforms.sqrt(vi.div(bc2), false).addi(eps);
            p.subi(mi.div(bc1).divi(denom).muli(lr));
        }
        return norm;
    }

    public long step() {
        return step;
    }

    /** First and second moments by parameter name (live arrays, for checkpoints). */
    public Map<String, INDArray> firstMoments() {
        return m;
    }

    public Map<String, INDArray> secondMoments() {
        return v;
    }

    /** Restores the state saved by a checkpoint. */
    public void restore(long step, Map<String, INDArray> first, Map<String, INDArray> second) {
        this.step = step;
        m.clear();
        v.clear();
        first.forEach((k, a) -> m.put(k, a.dup()));
        second.forEach((k, a) -> v.put(k, a.dup()));
    }
}
