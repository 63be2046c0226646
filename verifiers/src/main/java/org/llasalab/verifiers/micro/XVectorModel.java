package org.llasalab.verifiers.micro;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An x-vector style utterance classifier (micro-speaker, micro-emotion), in plain Java:
 * <pre>
 *   x  = (logmel - mean) / std                       [T, 80]
 *   h1 = relu(conv_k5_s2(x))    h2 = relu(conv_k3_d2(h1))    h3 = relu(conv_k3_d3(h2))    h4 = relu(conv_k1(h3))
 *   s  = [mean_t h4, std_t h4]                       statistics pooling
 *   e  = W_e s + b_e                                 the embedding (scored by cosine)
 *   p  = softmax(W_c relu(e) + b_c)                  over the training labels
 * </pre>
 */
public final class XVectorModel {
    public static final String MODEL_TYPE = "llasa-micro-xvector";
    public static final float POOL_EPS = 1e-5f;

    /** Sizes: conv channels, pooled channels, embedding size, labels (classes). */
    public record Config(String task, int channels, int poolChannels, int embedding, List<String> labels) {
        public Config {
            if (channels <= 0 || poolChannels <= 0 || embedding <= 0 || labels.size() < 2) {
                throw new IllegalArgumentException("invalid x-vector config: " + channels + "/" + poolChannels + "/" + embedding + "/" + labels);
            }
            labels = List.copyOf(labels);
        }
    }

    /** What one utterance gives: the embedding and the class logits. */
    public record Output(float[] embedding, float[] logits) {}

    private final Config config;
    private final float[] mean, std;
    private final Layers.Conv tdnn1, tdnn2, tdnn3, tdnn4;
    private final Layers.Linear embedding, classifier;

    public XVectorModel(Config config, Map<String, float[]> w) {
        this.config = config;
        int c = config.channels(), p = config.poolChannels(), e = config.embedding(), k = config.labels().size();
        Map<String, long[]> shapes = parameterShapes(config);
        for (var s : shapes.entrySet()) MicroWeights.check(w, s.getKey(), s.getValue());
        mean = w.get("frontend.mean");
        std = w.get("frontend.std");
        tdnn1 = new Layers.Conv(5, MicroFrontEnd.MELS, c, 2, 1, w.get("tdnn1.weight"), w.get("tdnn1.bias"));
        tdnn2 = new Layers.Conv(3, c, c, 1, 2, w.get("tdnn2.weight"), w.get("tdnn2.bias"));
        tdnn3 = new Layers.Conv(3, c, c, 1, 3, w.get("tdnn3.weight"), w.get("tdnn3.bias"));
        tdnn4 = new Layers.Conv(1, c, p, 1, 1, w.get("tdnn4.weight"), w.get("tdnn4.bias"));
        embedding = new Layers.Linear(2 * p, e, w.get("embedding.weight"), w.get("embedding.bias"));
        classifier = new Layers.Linear(e, k, w.get("classifier.weight"), w.get("classifier.bias"));
    }

    /** Parameter names and shapes, in order (shared with the training graph and the export). */
    public static Map<String, long[]> parameterShapes(Config config) {
        int c = config.channels(), p = config.poolChannels(), e = config.embedding(), k = config.labels().size();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("frontend.mean", new long[] {MicroFrontEnd.MELS});
        m.put("frontend.std", new long[] {MicroFrontEnd.MELS});
        m.put("tdnn1.weight", new long[] {5, MicroFrontEnd.MELS, c});
        m.put("tdnn1.bias", new long[] {c});
        m.put("tdnn2.weight", new long[] {3, c, c});
        m.put("tdnn2.bias", new long[] {c});
        m.put("tdnn3.weight", new long[] {3, c, c});
        m.put("tdnn3.bias", new long[] {c});
        m.put("tdnn4.weight", new long[] {1, c, p});
        m.put("tdnn4.bias", new long[] {p});
        m.put("embedding.weight", new long[] {2L * p, e});
        m.put("embedding.bias", new long[] {e});
        m.put("classifier.weight", new long[] {e, k});
        m.put("classifier.bias", new long[] {k});
        return m;
    }

    public Config config() { return config; }

    /** Embedding and logits of log-mel frames [T][80]. */
    public Output forward(float[][] logMel) {
        float[][] x = Layers.normalise(logMel, mean, std);
        float[][] h = Layers.relu(tdnn1.apply(x));
        h = Layers.relu(tdnn2.apply(h));
        h = Layers.relu(tdnn3.apply(h));
        h = Layers.relu(tdnn4.apply(h));
        float[] e = embedding.apply(Layers.statsPool(h, POOL_EPS));
        float[] logits = classifier.apply(Layers.relu(e.clone()));
        return new Output(e, logits);
    }

    public Output forward16k(float[] audio16k) {
        return forward(MicroFrontEnd.logMel(audio16k));
    }
}
