package org.llasalab.codec.xcodec2;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Hyper-parameters of the X-codec2 decoder, read from a {@code config.json} in the transformers
 * {@code Xcodec2Config} format ({@code hidden_size}, {@code num_hidden_layers}, {@code num_attention_heads},
 * {@code head_dim}, {@code intermediate_size}, {@code rms_norm_eps}, {@code rope_parameters.rope_theta},
 * {@code quantization_levels}, {@code quantization_dim}, {@code downsampling_ratios} (hop = their product,
 * n_fft = 4 x hop), {@code sampling_rate}). The original release's {@code codec_decoder_hidden_size} is
 * accepted for {@code hidden_size}. Absent fields take the transformers defaults (the released model).
 */
public record XCodec2Config(int hiddenSize, int numLayers, int numHeads, int headDim, int intermediateSize,
        double rmsNormEps, double ropeTheta, int[] levels, int quantizationDim, int hopLength, int nFft, int sampleRate) {

    /** GroupNorm groups of the residual blocks (fixed in the reference code). */
    public static final int RESNET_GROUPS = 32;
    /** Epsilon of the GroupNorms and of the final LayerNorm (fixed in the reference code). */
    public static final double NORM_EPS = 1e-6;

    public XCodec2Config {
        levels = levels.clone();
        require(hiddenSize > 0 && numLayers >= 0 && numHeads > 0 && headDim > 0 && intermediateSize > 0,
                "sizes must be positive");
        require(numHeads * headDim == hiddenSize, "num_attention_heads x head_dim (" + numHeads + " x " + headDim
                + ") must equal hidden_size " + hiddenSize);
        require(headDim % 2 == 0, "head_dim must be even for rotary embeddings: " + headDim);
        require(hiddenSize % RESNET_GROUPS == 0, "hidden_size " + hiddenSize + " must be a multiple of " + RESNET_GROUPS);
        require(levels.length > 0 && Arrays.stream(levels).allMatch(l -> l >= 2), "quantization_levels must be >= 2: "
                + Arrays.toString(levels));
        require(hopLength > 0 && nFft >= hopLength && nFft % 2 == 0 && (nFft - hopLength) % 2 == 0,
                "bad hop " + hopLength + " / n_fft " + nFft);
        require(sampleRate > 0, "sampling_rate must be positive");
    }

    private static void require(boolean ok, String problem) {
        if (!ok) throw new IllegalArgumentException("X-codec2 config: " + problem);
    }

    /** The released X-codec2 decoder (HKUSTAudio/xcodec2): 1024 hidden, 12 layers, 16 heads of 64, FSQ 4^8. */
    public static XCodec2Config released() {
        return new XCodec2Config(1024, 12, 16, 64, 4096, 1e-6, 10000.0, new int[] {4, 4, 4, 4, 4, 4, 4, 4}, 2048,
                320, 1280, 16000);
    }

    /** Number of codes: the product of the FSQ levels (65,536 for 4^8). */
    public int codebookSize() {
        long n = 1;
        for (int l : levels) n *= l;
        return Math.toIntExact(n);
    }

    @Override
    public int[] levels() {
        return levels.clone();
    }

    public static XCodec2Config fromJson(JsonNode c, Path file) throws IOException {
        try {
            XCodec2Config d = released();
            int hidden = c.has("hidden_size") ? positive(c, "hidden_size")
                    : c.has("codec_decoder_hidden_size") ? positive(c, "codec_decoder_hidden_size") : d.hiddenSize();
            int heads = c.has("num_attention_heads") ? positive(c, "num_attention_heads") : d.numHeads();
            int headDim = c.hasNonNull("head_dim") ? positive(c, "head_dim") : hidden / heads;
            if (c.hasNonNull("num_key_value_heads") && c.get("num_key_value_heads").asInt() != heads) {
                throw new IllegalArgumentException("num_key_value_heads must equal num_attention_heads (the decoder's "
                        + "head-axis rotary embedding needs it)");
            }
            double theta = d.ropeTheta();
            if (c.path("rope_parameters").has("rope_theta")) theta = c.path("rope_parameters").get("rope_theta").asDouble();
            else if (c.has("rope_theta")) theta = c.get("rope_theta").asDouble();
            String ropeType = c.path("rope_parameters").path("rope_type").asText("default");
            if (!ropeType.equals("default")) {
                throw new IllegalArgumentException("rope_type '" + ropeType + "' is not supported (only 'default')");
            }
            int[] levels = d.levels();
            if (c.has("quantization_levels")) {
                JsonNode l = c.get("quantization_levels");
                if (!l.isArray()) throw new IllegalArgumentException("quantization_levels must be a list");
                levels = new int[l.size()];
                for (int i = 0; i < levels.length; i++) levels[i] = l.get(i).asInt();
            }
            int hop = d.hopLength();
            if (c.has("hop_length")) {
                hop = positive(c, "hop_length");
            } else if (c.has("downsampling_ratios")) {
                hop = 1;
                for (JsonNode r : c.get("downsampling_ratios")) hop *= r.asInt();
            }
            int nFft = c.has("n_fft") ? positive(c, "n_fft") : 4 * hop;
            return new XCodec2Config(hidden,
                    c.has("num_hidden_layers") ? c.get("num_hidden_layers").asInt() : d.numLayers(),
                    heads, headDim,
                    c.has("intermediate_size") ? positive(c, "intermediate_size") : 4 * hidden,
                    c.has("rms_norm_eps") ? c.get("rms_norm_eps").asDouble() : d.rmsNormEps(),
                    theta, levels,
                    c.has("quantization_dim") ? positive(c, "quantization_dim") : d.quantizationDim(),
                    hop, nFft,
                    c.has("sampling_rate") ? positive(c, "sampling_rate") : d.sampleRate());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static int positive(JsonNode c, String field) {
        JsonNode v = c.get(field);
        if (!v.canConvertToInt() || v.asInt() <= 0) {
            throw new IllegalArgumentException(field + " must be a positive integer, got " + v);
        }
        return v.asInt();
    }
}
