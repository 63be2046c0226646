package org.llasalab.codec.xcodec2;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Hyper-parameters of the X-codec2 encoder, read from the same {@code config.json} as {@link XCodec2Config}.
 * The semantic branch is a w2v-BERT 2.0 conformer ({@code semantic_model_config} in the transformers format:
 * {@code hidden_size}, {@code num_hidden_layers} = the layers X-codec2 runs, 16 by default: it takes the 16th
 * hidden state; {@code num_attention_heads}, {@code intermediate_size}, {@code feature_projection_input_dim},
 * {@code layer_norm_eps}, {@code left/right_max_position_embeddings}, {@code conv_depthwise_kernel_size}); the
 * acoustic branch a strided Snake conv encoder ({@code encoder_hidden_size} channels doubling at each of the
 * {@code downsampling_ratios}) ending in the decoder's {@code hidden_size} channels. The original release's
 * {@code config.json} has no semantic section and takes the defaults (facebook/w2v-bert-2.0, 16 layers).
 */
public record EncoderConfig(int semanticHidden, int semanticLayers, int semanticHeads, int semanticIntermediate,
        int featureDim, double layerNormEps, int leftMaxPosition, int rightMaxPosition, int depthwiseKernel,
        int acousticChannels, int[] ratios, int acousticOut, int[] levels, int quantizationDim, int sampleRate) {

    public EncoderConfig {
        ratios = ratios.clone();
        levels = levels.clone();
        require(semanticHidden > 0 && semanticLayers > 0 && semanticHeads > 0 && semanticIntermediate > 0 && featureDim > 0,
                "semantic sizes must be positive");
        require(semanticHidden % semanticHeads == 0, "semantic hidden_size " + semanticHidden
                + " is not a multiple of num_attention_heads " + semanticHeads);
        require(leftMaxPosition >= 0 && rightMaxPosition >= 0, "max position embeddings must be >= 0");
        require(depthwiseKernel > 0 && depthwiseKernel % 2 == 1, "conv_depthwise_kernel_size must be odd");
        require(acousticChannels > 0 && ratios.length > 0 && Arrays.stream(ratios).allMatch(r -> r > 0) && acousticOut > 0,
                "acoustic sizes must be positive");
        require(quantizationDim == semanticHidden + acousticOut, "quantization_dim " + quantizationDim
                + " must equal semantic hidden_size + hidden_size (" + semanticHidden + " + " + acousticOut + ")");
        require(featureDim % 2 == 0, "feature_projection_input_dim must be even (pairs of fbank frames)");
    }

    private static void require(boolean ok, String problem) {
        if (!ok) throw new IllegalArgumentException("X-codec2 encoder config: " + problem);
    }

    /** The released encoder: w2v-BERT 2.0 (1024 wide, 16 of its 24 layers), 48 acoustic channels, strides 2,2,4,4,5. */
    public static EncoderConfig released() {
        return new EncoderConfig(1024, 16, 16, 4096, 160, 1e-5, 64, 8, 31, 48, new int[] {2, 2, 4, 4, 5}, 1024,
                new int[] {4, 4, 4, 4, 4, 4, 4, 4}, 2048, 16000);
    }

    /** Samples per code: the product of the strides. */
    public int hopLength() {
        int h = 1;
        for (int r : ratios) h *= r;
        return h;
    }

    public int semanticHeadDim() {
        return semanticHidden / semanticHeads;
    }

    /** Mel bins of the front end: pairs of frames are stacked into one feature row. */
    public int melBins() {
        return featureDim / 2;
    }

    /** Channels at the output of acoustic block {@code i} (0-based): encoder_hidden_size x 2^(i+1). */
    public int blockChannels(int i) {
        return acousticChannels << (i + 1);
    }

    @Override
    public int[] ratios() {
        return ratios.clone();
    }

    @Override
    public int[] levels() {
        return levels.clone();
    }

    public static EncoderConfig fromJson(JsonNode c, XCodec2Config decoder, Path file) throws IOException {
        try {
            EncoderConfig d = released();
            JsonNode s = c.path("semantic_model_config");
            if (!s.isMissingNode() && !s.isObject()) throw new IllegalArgumentException("semantic_model_config must be an object");
            String position = s.path("position_embeddings_type").asText("relative_key");
            if (!position.equals("relative_key")) {
                throw new IllegalArgumentException("semantic_model_config.position_embeddings_type '" + position
                        + "' is not supported (w2v-BERT 2.0 uses 'relative_key')");
            }
            String act = s.path("hidden_act").asText("swish");
            if (!act.equals("swish") && !act.equals("silu")) {
                throw new IllegalArgumentException("semantic_model_config.hidden_act '" + act + "' is not supported (swish)");
            }
            if (s.path("add_adapter").asBoolean(false) && !s.has("num_hidden_layers")) {
                // the adapter follows the last layer only; X-codec2 reads a hidden state before it
                throw new IllegalArgumentException("semantic_model_config.add_adapter needs an explicit num_hidden_layers");
            }
            int semanticHidden = s.has("hidden_size") ? s.get("hidden_size").asInt()
                    : c.has("semantic_hidden_size") ? c.get("semantic_hidden_size").asInt() : d.semanticHidden();
            int[] ratios = d.ratios();
            if (c.has("downsampling_ratios")) {
                JsonNode r = c.get("downsampling_ratios");
                if (!r.isArray() || r.isEmpty()) throw new IllegalArgumentException("downsampling_ratios must be a non-empty list");
                ratios = new int[r.size()];
                for (int i = 0; i < ratios.length; i++) ratios[i] = r.get(i).asInt();
            }
            return new EncoderConfig(semanticHidden,
                    s.path("num_hidden_layers").asInt(d.semanticLayers()),
                    s.path("num_attention_heads").asInt(d.semanticHeads()),
                    s.path("intermediate_size").asInt(d.semanticIntermediate()),
                    s.path("feature_projection_input_dim").asInt(d.featureDim()),
                    s.path("layer_norm_eps").asDouble(d.layerNormEps()),
                    s.path("left_max_position_embeddings").asInt(d.leftMaxPosition()),
                    s.path("right_max_position_embeddings").asInt(d.rightMaxPosition()),
                    s.path("conv_depthwise_kernel_size").asInt(d.depthwiseKernel()),
                    c.path("encoder_hidden_size").asInt(d.acousticChannels()),
                    ratios, decoder.hiddenSize(), decoder.levels(), decoder.quantizationDim(), decoder.sampleRate());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
