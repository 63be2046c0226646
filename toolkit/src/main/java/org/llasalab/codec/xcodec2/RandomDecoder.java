package org.llasalab.codec.xcodec2;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A decoder of a given shape with random weights, built through the same loader path as a checkpoint
 * ({@link DecoderWeights#load}), for benchmarks. Weights are uniform with the variance of PyTorch's
 * default Linear/Conv initialisation (so activations stay in range); norms are 1/0.
 */
public final class RandomDecoder {
    private RandomDecoder() {}

    public static XCodec2Decoder build(XCodec2Config config, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : DecoderWeights.expectedShapes(config).entrySet()) {
            String name = e.getKey();
            int[] shape = e.getValue();
            int n = 1;
            for (int d : shape) n *= d;
            float[] data = new float[n];
            boolean isNorm = name.contains("norm");
            if (isNorm) {
                if (name.endsWith(".weight")) java.util.Arrays.fill(data, 1f);
            } else {
                int fanIn = shape.length == 1 ? config.hiddenSize() : n / shape[0];
                float bound = (float) (1.0 / Math.sqrt(fanIn));
                for (int i = 0; i < n; i++) data[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
            }
            tensors.put(name, new Tensor(name, shape, data));
        }
        return new XCodec2Decoder(config, DecoderWeights.load(XCodec2Loader.source(tensors, "random " + config), config));
    }
}
