package org.llasalab.codec.xcodec2;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.llasalab.tensor.F32Tensor;
import org.llasalab.tensor.WeightMatrix;

/**
 * An encoder of a given shape with random weights, built through the same loader path as a checkpoint
 * ({@link EncoderWeights#load}), for benchmarks. Weights are uniform with the variance of PyTorch's default
 * Linear/Conv initialisation, norms 1/0, Snake parameters 0 (alpha = beta = 1); conformer matrices live off-heap in
 * f32 (as a mapped f32 checkpoint would), freed when the encoder is closed. Each tensor is drawn from a stream
 * seeded by the seed and its name, so a tensor does not depend on the order of loading.
 */
public final class RandomEncoder {
    private RandomEncoder() {}

    public static XCodec2Encoder build(EncoderConfig config, long seed) throws IOException {
        Map<String, int[]> shapes = EncoderWeights.expectedShapes(config);
        Arena arena = Arena.ofShared();
        EncoderWeights.Source source = new EncoderWeights.Source() {
            @Override
            public Set<String> names() {
                return shapes.keySet();
            }

            @Override
            public int[] shape(String name) {
                return shapes.get(name).clone();
            }

            @Override
            public float[] floats(String name) {
                int[] shape = shapes.get(name);
                int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                float[] data = new float[n];
                if (name.contains("norm")) {
                    if (name.endsWith(".weight")) Arrays.fill(data, 1f);
                    return data;
                }
                if (name.endsWith(".alpha") || name.endsWith(".beta")) return data;
                int fanIn = shape.length == 1 ? 1024 : n / shape[0];
                float bound = (float) (1.0 / Math.sqrt(fanIn));
                SplittableRandom rnd = new SplittableRandom(seed * 31 + name.hashCode());
                for (int i = 0; i < n; i++) data[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
                return data;
            }

            @Override
            public WeightMatrix matrix(String name, int rows, int cols) {
                return F32Tensor.of(arena, floats(name), rows, cols);
            }

            @Override
            public String describe() {
                return "random " + config;
            }
        };
        try {
            return new XCodec2Encoder(config, EncoderWeights.load(source, config), arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }
}
