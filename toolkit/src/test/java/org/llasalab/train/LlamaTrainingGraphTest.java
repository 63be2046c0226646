package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

class LlamaTrainingGraphTest {
    static final ModelShape TINY = new ModelShape(40, 32, 2, 4, 2, 48, 10000, 1e-5, true, 64);

    static List<TokenSequence> copySequences(int count, long seed) {
        // "text" of 3..6 ids in [4, 20), a marker 3, then the text repeated shifted by 20: learnable copy task.
        SplittableRandom r = new SplittableRandom(seed);
        List<TokenSequence> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = 3 + r.nextInt(4);
            int[] ids = new int[2 * n + 3];
            ids[0] = 1;
            for (int j = 0; j < n; j++) ids[1 + j] = 4 + r.nextInt(16);
            ids[n + 1] = 3;
            for (int j = 0; j < n; j++) ids[n + 2 + j] = ids[1 + j] + 20;
            ids[2 * n + 2] = 2;
            out.add(new TokenSequence(ids, n + 2));
        }
        return out;
    }

    @Test
    void lossFallsUnderAdamW() {
        LlamaTrainingGraph graph = LlamaTrainingGraph.initialise(TINY, 4, 7, 0.05);
        AdamW adam = new AdamW(0.9, 0.95, 1e-8, 0.01, 1.0);
        List<TokenSequence> data = copySequences(4, 3);
        TrainingBatch batch = new TrainingBatch(TINY, 4, data);
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 60; step++) {
            OutAndGrad og = graph.sameDiff().calculateGradientsAndOutputs(batch.placeholders(),
                    List.of(LlamaTrainingGraph.LOSS), graph.parameterNames());
            double loss = og.getOutputs().get(LlamaTrainingGraph.LOSS).getDouble(0);
            if (step == 0) first = loss;
            last = loss;
            Map<String, INDArray> grads = og.getGradients();
            adam.update(graph.weights(), grads, 3e-3);
        }
        assertTrue(first > Math.log(40) - 1, "initial loss near uniform: " + first);
        assertTrue(last < first * 0.5, "loss fell from " + first + " to " + last);
    }
}
