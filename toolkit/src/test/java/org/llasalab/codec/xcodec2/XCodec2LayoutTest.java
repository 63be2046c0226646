package org.llasalab.codec.xcodec2;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.io.SafetensorsWriter;
import org.llasalab.io.TensorData;
import org.llasalab.io.TensorStore;

/** The original HKUSTAudio/xcodec2 layout decodes like the transformers one; key errors are listed at once. */
class XCodec2LayoutTest {
    static final Path FIXTURE = XCodec2GoldenTest.FIXTURE;

    @TempDir
    Path tmp;

    static Map<String, Tensor> fixtureTensors() throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (TensorStore store = TensorStore.open(FIXTURE.resolve("model.safetensors"))) {
            for (String name : store.names()) {
                long[] s = store.shape(name);
                int[] dims = new int[s.length];
                for (int i = 0; i < s.length; i++) dims[i] = (int) s[i];
                out.put(name, new Tensor(name, dims, store.toFloatArray(name)));
            }
        }
        return out;
    }

    /** Rows of one head block back to torchtune's interleaved rotary order: original row 2p+i = native row i*half+p. */
    static float[] toInterleaved(float[] w, int dim, int headDim) {
        float[] out = new float[w.length];
        int half = headDim / 2;
        for (int row = 0; row < dim; row++) {
            int h = row / headDim;
            int within = row % headDim;
            int i = within / half;
            int p = within % half;
            System.arraycopy(w, row * dim, out, (h * headDim + 2 * p + i) * dim, dim);
        }
        return out;
    }

    /** Writes the fixture in the original release's layout, with encoder weights and buffers beside it. */
    static Path writeOriginalLayout(Path dir) throws IOException {
        Map<String, Tensor> t = fixtureTensors();
        Map<String, TensorData> out = new LinkedHashMap<>();
        int dim = 64;
        int layers = 2;
        for (Map.Entry<String, Tensor> e : t.entrySet()) {
            String n = e.getKey();
            if (n.contains(".self_attn.q_proj") || n.contains(".self_attn.k_proj") || n.contains(".self_attn.v_proj")) {
                continue;
            }
            String m = n.replaceFirst("^quantizer\\.", "generator.quantizer.")
                    .replaceFirst("^decoder\\.fc\\.", "fc_post_a.")
                    .replaceFirst("^decoder\\.head\\.linear\\.", "generator.head.out.")
                    .replaceFirst("^decoder\\.norm\\.", "generator.backbone.final_layer_norm.")
                    .replaceFirst("^decoder\\.layers\\.(\\d+)\\.self_attn\\.o_proj\\.", "generator.backbone.transformers.$1.att.c_proj.")
                    .replaceFirst("^decoder\\.layers\\.(\\d+)\\.input_layernorm\\.", "generator.backbone.transformers.$1.att_norm.")
                    .replaceFirst("^decoder\\.layers\\.(\\d+)\\.post_attention_layernorm\\.", "generator.backbone.transformers.$1.ffn_norm.")
                    .replaceFirst("^decoder\\.layers\\.(\\d+)\\.mlp\\.", "generator.backbone.transformers.$1.mlp.")
                    .replaceFirst("^decoder\\.", "generator.backbone.");
            out.put(m, f32(e.getValue()));
        }
        for (int l = 0; l < layers; l++) {
            String p = "decoder.layers." + l + ".self_attn.";
            float[] fused = new float[3 * dim * dim];
            System.arraycopy(toInterleaved(t.get(p + "q_proj.weight").data(), dim, 16), 0, fused, 0, dim * dim);
            System.arraycopy(toInterleaved(t.get(p + "k_proj.weight").data(), dim, 16), 0, fused, dim * dim, dim * dim);
            System.arraycopy(t.get(p + "v_proj.weight").data(), 0, fused, 2 * dim * dim, dim * dim);
            out.put("generator.backbone.transformers." + l + ".att.c_attn.weight", TensorData.f32(fused, 3L * dim, dim));
        }
        out.put("CodecEnc.conv_blocks.0.weight", TensorData.f32(new float[] {1, 2, 3}, 3));
        out.put("SemanticEncoder_module.initial_conv.weight", TensorData.f32(new float[4], 2, 2));
        out.put("semantic_model.encoder.layers.0.ffn1.weight", TensorData.f32(new float[2], 2));
        out.put("fc_prior.weight", TensorData.f32(new float[6], 3, 2));
        out.put("generator.head.istft.window", TensorData.f32(new float[1280], 1280));
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), out);
        Files.copy(FIXTURE.resolve("config.json"), dir.resolve("config.json"));
        return dir;
    }

    private static TensorData f32(Tensor t) {
        long[] shape = new long[t.shape().length];
        for (int i = 0; i < shape.length; i++) shape[i] = t.shape()[i];
        return TensorData.f32(t.data(), shape);
    }

    @Test
    void originalLayoutDecodesIdentically() throws Exception {
        Path dir = writeOriginalLayout(tmp.resolve("original"));
        float[] want = Npy.readFloats(FIXTURE.resolve("decoder_waveform.npy"));
        try (SpeechCodec codec = Codecs.open(dir)) {
            XCodec2GoldenTest.assertWaveform(want, codec.decode(XCodec2GoldenTest.goldenCodes()));
        }
    }

    @Test
    void missingUnknownAndMisshapenKeysAreListedTogether() throws Exception {
        Map<String, Tensor> t = fixtureTensors();
        t.remove("decoder.layers.1.mlp.fc2.weight");
        t.remove("decoder.head.linear.bias");
        t.put("decoder.layers.1.mlp.gate.weight", new Tensor("g", new int[] {1}, new float[1]));
        t.put("decoder.layers.2.input_layernorm.weight", new Tensor("x", new int[] {64}, new float[64]));
        t.put("decoder.norm.weight", new Tensor("n", new int[] {63}, new float[63]));
        XCodec2Config config = XCodec2Config.fromJson(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(FIXTURE.resolve("config.json").toFile()),
                FIXTURE.resolve("config.json"));
        IOException e = assertThrows(IOException.class,
                () -> DecoderWeights.load(XCodec2Loader.source(t, "in-memory test checkpoint"), config));
        String msg = e.getMessage();
        for (String part : new String[] {"in-memory test checkpoint", "decoder.layers.1.mlp.fc2.weight",
            "decoder.head.linear.bias", "decoder.layers.1.mlp.gate.weight", "decoder.layers.2.input_layernorm.weight",
            "decoder.norm.weight [63]"}) {
            assertTrue(msg.contains(part), "message lacks " + part + ": " + msg);
        }
    }

    @Test
    void codecFolderErrorsNameTheFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        Files.copy(FIXTURE.resolve("config.json"), dir.resolve("config.json"));
        IOException e = assertThrows(IOException.class, () -> Codecs.open(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"xcodec2\", \"hidden_size\": 64, \"head_dim\": 10}");
        e = assertThrows(IOException.class, () -> Codecs.open(dir));
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("head_dim"), e.getMessage());
    }
}
