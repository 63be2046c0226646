package org.llasalab.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Cross-entropy computed in plain Java from logits (the trainer's own loss, independent of SameDiff's loss op). */
final class CrossEntropy {
    private CrossEntropy() {}

    /**
     * {sum of w_i * -log softmax(logits_i)[label_i], sum of w_i} over rows i of {@code logits} [N, V].
     */
    static double[] weightedSum(INDArray logits, int[] labels, float[] weights) {
        int n = (int) logits.size(0), v = (int) logits.size(1);
        float[] values = logits.castTo(DataType.FLOAT).dup('c').data().asFloat();
        double sum = 0, count = 0;
        for (int i = 0; i < n; i++) {
            if (weights[i] == 0) continue;
            int base = i * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, values[base + j]);
            double z = 0;
            for (int j = 0; j < v; j++) z += Math.exp(values[base + j] - max);
            sum += weights[i] * (Math.log(z) + max - values[base + labels[i]]);
            count += weights[i];
        }
        return new double[] {sum, count};
    }
}
