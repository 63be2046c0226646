package org.llasalab.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The placeholder arrays of {@link LlamaTrainingGraph} for up to {@code batch} sequences, right-padded to
 * a common length T (the model sees {@code ids[0..L-2]} and predicts {@code ids[1..L-1]}).
 * <ul>
 *   <li>{@code weights}: 1 where the target is at or after the sequence's {@code lossFrom}, else 0 (padding,
 *       text span, empty rows);</li>
 *   <li>{@code bias}: 0 where query t may see key k (k <= t, and k inside the sequence for real queries),
 *       {@value #MASKED} elsewhere, repeated for the g query heads of each KV head;</li>
 *   <li>{@code cos}/{@code sin}: rotary tables for positions 0..T-1.</li>
 * </ul>
 */
public final class TrainingBatch {
    static final float MASKED = -1e9f;

    private final Map<String, INDArray> placeholders = new HashMap<>();
    private final int length;
    private final long tokens;
    private final long lossTokens;
    private final int[] labels;
    private final float[] weights;

    public TrainingBatch(ModelShape shape, int batch, List<TokenSequence> sequences) {
        if (sequences.isEmpty() || sequences.size() > batch) {
            throw new IllegalArgumentException("a batch holds 1.." + batch + " sequences, got " + sequences.size());
        }
        int t = 1;
        for (TokenSequence s : sequences) t = Math.max(t, s.length() - 1);
        if (t > shape.maxPositions()) {
            throw new IllegalArgumentException("sequence of " + (t + 1) + " tokens exceeds max_positions " + shape.maxPositions());
        }
        this.length = t;
        int n = batch * t;
        int[] ids = new int[n];
        labels = new int[n];
        weights = new float[n];
        int[] lengths = new int[batch];
        long tok = 0, counted = 0;
        for (int b = 0; b < sequences.size(); b++) {
            TokenSequence s = sequences.get(b);
            int inputs = s.length() - 1;
            lengths[b] = inputs;
            tok += inputs;
            for (int i = 0; i < inputs; i++) {
                ids[b * t + i] = s.ids()[i];
                labels[b * t + i] = s.ids()[i + 1];
                if (i + 1 >= s.lossFrom()) {
                    weights[b * t + i] = 1f;
                    counted++;
                }
            }
        }
        this.tokens = tok;
        this.lossTokens = counted;
        placeholders.put("ids", Nd4j.createFromArray(ids));
        placeholders.put("labels", Nd4j.createFromArray(labels));
        placeholders.put("weights", Nd4j.createFromArray(weights));
        INDArray[] rope = ropeTables(shape, batch, t);
        placeholders.put("cos", rope[0]);
        placeholders.put("sin", rope[1]);
        placeholders.put("bias", attentionBias(batch, shape.groupSize(), t, lengths));
    }

    static INDArray[] ropeTables(ModelShape shape, int batch, int t) {
        int dh = shape.headDim(), half = dh / 2;
        float[] cos = new float[batch * t * dh], sin = new float[batch * t * dh];
        for (int pos = 0; pos < t; pos++) {
            for (int i = 0; i < half; i++) {
                double invFreq = 1.0 / Math.pow(shape.ropeTheta(), (2.0 * i) / dh);
                double angle = pos * invFreq;
                float c = (float) Math.cos(angle), s = (float) Math.sin(angle);
                for (int b = 0; b < batch; b++) {
                    int base = (b * t + pos) * dh;
                    cos[base + i] = c;
                    cos[base + i + half] = c;
                    sin[base + i] = s;
                    sin[base + i + half] = s;
                }
            }
        }
        return new INDArray[] {Nd4j.create(cos, new long[] {batch, t, 1, dh}, 'c'),
                Nd4j.create(sin, new long[] {batch, t, 1, dh}, 'c')};
    }

    static INDArray attentionBias(int batch, int groups, int t, int[] lengths) {
        float[] bias = new float[batch * groups * t * t];
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < groups; j++) {
                for (int q = 0; q < t; q++) {
                    int base = ((b * groups + j) * t + q) * t;
                    for (int k = 0; k < t; k++) {
                        boolean visible = k <= q && (k < lengths[b] || q >= lengths[b]);
                        bias[base + k] = visible ? 0f : MASKED;
                    }
                }
            }
        }
        return Nd4j.create(bias, new long[] {batch, 1, (long) groups * t, t}, 'c');
    }

    public Map<String, INDArray> placeholders() {
        return placeholders;
    }

    /** Padded length T (inputs per row). */
    public int length() {
        return length;
    }

    /** Real (non-padding) input tokens in the batch. */
    public long tokens() {
        return tokens;
    }

    /** Targets counted in the loss. */
    public long lossTokens() {
        return lossTokens;
    }

    int[] labels() {
        return labels;
    }

    float[] weights() {
        return weights;
    }
}
