package org.llasalab.verifiers.micro;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The micro-asr acoustic model, in plain Java: a strided convolution to 25 frames/s, then residual
 * convolution blocks, then per-frame log-probabilities over {@code symbols} (index 0 is the CTC blank):
 * <pre>
 *   x  = (logmel - mean) / std                           [T, 80]
 *   h  = relu(conv_k5_s2(x))                             [T/2, C]
 *   h  = h + relu(conv_k(layernorm(h)))                  per block
 *   lp = log_softmax(W layernorm(h) + b)                 [T/2, V]
 * </pre>
 */
public final class CtcAsrModel {
    public static final String MODEL_TYPE = "llasa-micro-ctc";
    public static final float NORM_EPS = 1e-5f;
    public static final String BLANK = "<blank>";

    public record Config(int channels, int blocks, int kernel, List<String> symbols) {
        public Config {
            if (channels <= 0 || blocks < 0 || kernel <= 0 || kernel % 2 == 0 || symbols.size() < 2 || !symbols.get(0).equals(BLANK)) {
                throw new IllegalArgumentException("invalid CTC model config: " + channels + "/" + blocks + "/" + kernel + "/" + symbols);
            }
            symbols = List.copyOf(symbols);
        }
    }

    private final Config config;
    private final float[] mean, std;
    private final Layers.Conv subsample;
    private final Layers.LayerNorm[] norms;
    private final Layers.Conv[] convs;
    private final Layers.LayerNorm finalNorm;
    private final Layers.Linear output;

    public CtcAsrModel(Config config, Map<String, float[]> w) {
        this.config = config;
        for (var s : parameterShapes(config).entrySet()) MicroWeights.check(w, s.getKey(), s.getValue());
        int c = config.channels();
        mean = w.get("frontend.mean");
        std = w.get("frontend.std");
        subsample = new Layers.Conv(5, MicroFrontEnd.MELS, c, 2, 1, w.get("subsample.weight"), w.get("subsample.bias"));
        norms = new Layers.LayerNorm[config.blocks()];
        convs = new Layers.Conv[config.blocks()];
        for (int i = 0; i < config.blocks(); i++) {
            norms[i] = new Layers.LayerNorm(w.get("block" + i + ".norm.weight"), w.get("block" + i + ".norm.bias"), NORM_EPS);
            convs[i] = new Layers.Conv(config.kernel(), c, c, 1, 1, w.get("block" + i + ".conv.weight"), w.get("block" + i + ".conv.bias"));
        }
        finalNorm = new Layers.LayerNorm(w.get("final_norm.weight"), w.get("final_norm.bias"), NORM_EPS);
        output = new Layers.Linear(c, config.symbols().size(), w.get("output.weight"), w.get("output.bias"));
    }

    public static Map<String, long[]> parameterShapes(Config config) {
        int c = config.channels(), v = config.symbols().size();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("frontend.mean", new long[] {MicroFrontEnd.MELS});
        m.put("frontend.std", new long[] {MicroFrontEnd.MELS});
        m.put("subsample.weight", new long[] {5, MicroFrontEnd.MELS, c});
        m.put("subsample.bias", new long[] {c});
        for (int i = 0; i < config.blocks(); i++) {
            m.put("block" + i + ".norm.weight", new long[] {c});
            m.put("block" + i + ".norm.bias", new long[] {c});
            m.put("block" + i + ".conv.weight", new long[] {config.kernel(), c, c});
            m.put("block" + i + ".conv.bias", new long[] {c});
        }
        m.put("final_norm.weight", new long[] {c});
        m.put("final_norm.bias", new long[] {c});
        m.put("output.weight", new long[] {c, v});
        m.put("output.bias", new long[] {v});
        return m;
    }

    public Config config() { return config; }

    /** Pre-softmax scores [T/2][V] of log-mel frames [T][80]. */
    public float[][] logits(float[][] logMel) {
        float[][] h = Layers.relu(subsample.apply(Layers.normalise(logMel, mean, std)));
        for (int i = 0; i < convs.length; i++) {
            h = Layers.addInPlace(h, Layers.relu(convs[i].apply(norms[i].apply(h))));
        }
        return output.apply(finalNorm.apply(h));
    }

    /** Log-probabilities [T/2][V] per output frame. */
    public float[][] logProbs(float[][] logMel) {
        float[][] z = logits(logMel);
        for (int t = 0; t < z.length; t++) z[t] = Layers.logSoftmax(z[t]);
        return z;
    }
}
