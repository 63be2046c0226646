package org.llasalab.verifiers.onnx;

import java.util.List;
import org.llasalab.dsp.KaldiFbank;
import org.llasalab.verify.VerifierParams;

/**
 * Turns a 16 kHz waveform into a model's input tensor: the raw waveform {@code [1, samples]}
 * (optionally normalised to zero mean and unit variance, as wav2vec-style models expect) or Kaldi fbank
 * features {@code [1, frames, bins]} (optionally scaled to 16-bit range and mean-normalised, as WeSpeaker
 * models expect).
 */
public final class AudioFrontEnd {
    /** An input tensor: data and shape. */
    public record Tensor(float[] data, long[] shape) {}

    private final boolean fbank;
    private final boolean normalize;
    private final KaldiFbank features;
    private final double scale;
    private final boolean cmn;

    private AudioFrontEnd(boolean fbank, boolean normalize, KaldiFbank features, double scale, boolean cmn) {
        this.fbank = fbank;
        this.normalize = normalize;
        this.features = features;
        this.scale = scale;
        this.cmn = cmn;
    }

    public static AudioFrontEnd raw(boolean normalize) {
        return new AudioFrontEnd(false, normalize, null, 1, false);
    }

    public static AudioFrontEnd fbank(int bins, KaldiFbank.Window window, double scale, boolean cmn) {
        return new AudioFrontEnd(true, false, KaldiFbank.at16k(bins, window), scale, cmn);
    }

    /**
     * From parameters {@code features} ({@code raw} or {@code fbank}), {@code normalize} (raw),
     * {@code num_mel_bins} (80), {@code window} ({@code hamming} or {@code povey}), {@code scale} (32768)
     * and {@code cmn} (true) for fbank.
     */
    public static AudioFrontEnd fromParams(VerifierParams p, String defaultFeatures, boolean defaultNormalize) {
        String kind = p.choice("features", defaultFeatures, List.of("raw", "fbank"));
        if (kind.equals("raw")) {
            return raw(p.flag("normalize", defaultNormalize));
        }
        String window = p.choice("window", "hamming", List.of("hamming", "povey", "hanning"));
        return fbank(p.integer("num_mel_bins", 80), KaldiFbank.Window.valueOf(window.toUpperCase()),
                p.number("scale", 32768.0), p.flag("cmn", true));
    }

    public Tensor apply(float[] audio16k) {
        if (!fbank) {
            float[] x = audio16k.clone();
            if (normalize) {
                double mean = 0;
                for (float v : x) mean += v;
                mean /= Math.max(1, x.length);
                double var = 0;
                for (float v : x) var += (v - mean) * (v - mean);
                var /= Math.max(1, x.length);
                double inv = 1.0 / Math.sqrt(var + 1e-5);
                for (int i = 0; i < x.length; i++) x[i] = (float) ((x[i] - mean) * inv);
            }
            return new Tensor(x, new long[] {1, x.length});
        }
        float[] scaled = new float[audio16k.length];
        for (int i = 0; i < scaled.length; i++) scaled[i] = (float) (audio16k[i] * scale);
        float[] flat = features.compute(scaled, 1.0);
        int bins = features.bins();
        if (flat.length == 0) {
            throw new IllegalArgumentException("audio too short for fbank features: " + audio16k.length + " samples");
        }
        if (cmn) KaldiFbank.subtractMean(flat, bins);
        return new Tensor(flat, new long[] {1, flat.length / bins, bins});
    }
}
