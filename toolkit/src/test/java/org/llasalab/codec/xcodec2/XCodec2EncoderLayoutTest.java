package org.llasalab.codec.xcodec2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.dsp.Wav;
import org.llasalab.io.SafetensorsWriter;
import org.llasalab.io.TensorData;
import org.llasalab.io.TensorStore;

/**
 * The encoder loads the original HKUSTAudio/xcodec2 layout (semantic_model, SemanticEncoder_module, CodecEnc with
 * weight-normed convolutions, fc_prior, generator.quantizer.project_in, 24-layer w2v-BERT of which X-codec2 runs
 * the first ones) and encodes exactly as from the transformers-native layout; broken encoders say what is wrong
 * without stopping the decoder.
 */
class XCodec2EncoderLayoutTest {
    static final Path FIXTURE = XCodec2EncoderGoldenTest.FIXTURE;

    @TempDir
    Path tmp;

    /** A tensor's values and shape. */
    record T(float[] v, long[] shape) {
        TensorData data() {
            return TensorData.f32(v, shape);
        }
    }

    static Map<String, T> fixture() throws IOException {
        Map<String, T> out = new LinkedHashMap<>();
        try (TensorStore store = TensorStore.open(FIXTURE.resolve("model.safetensors"))) {
            for (String name : store.names()) out.put(name, new T(store.toFloatArray(name), store.shape(name)));
        }
        return out;
    }

    /** The native name's original-layout name (the inverse of the loader's renaming, written out independently). */
    static String original(String n) {
        String m = n.replaceFirst("^semantic_encoder\\.", "semantic_model.")
                .replaceFirst("^semantic_adapter\\.conv1\\.", "SemanticEncoder_module.initial_conv.")
                .replaceFirst("^semantic_adapter\\.conv2\\.", "SemanticEncoder_module.residual_blocks.1.")
                .replaceFirst("^semantic_adapter\\.conv3\\.", "SemanticEncoder_module.residual_blocks.3.")
                .replaceFirst("^semantic_adapter\\.conv4\\.", "SemanticEncoder_module.final_conv.")
                .replaceFirst("^acoustic_encoder\\.conv1\\.", "CodecEnc.conv_blocks.0.")
                .replaceFirst("^acoustic_encoder\\.snake1\\.", "CodecEnc.conv_final_block.0.")
                .replaceFirst("^acoustic_encoder\\.conv2\\.", "CodecEnc.conv_final_block.1.")
                .replaceFirst("^fc_encoder\\.", "fc_prior.")
                .replaceFirst("^quantizer\\.project_in\\.", "generator.quantizer.project_in.");
        java.util.regex.Matcher b = java.util.regex.Pattern.compile("^acoustic_encoder\\.block\\.(\\d+)\\.(.*)$").matcher(m);
        if (b.find()) {
            String rest = b.group(2)
                    .replaceFirst("^res_unit(\\d)\\.snake1\\.", "block.R$1.block.0.")
                    .replaceFirst("^res_unit(\\d)\\.conv1\\.", "block.R$1.block.1.")
                    .replaceFirst("^res_unit(\\d)\\.snake2\\.", "block.R$1.block.2.")
                    .replaceFirst("^res_unit(\\d)\\.conv2\\.", "block.R$1.block.3.")
                    .replaceFirst("^snake1\\.", "block.3.")
                    .replaceFirst("^conv1\\.", "block.4.");
            java.util.regex.Matcher r = java.util.regex.Pattern.compile("R(\\d)").matcher(rest);
            if (r.find()) rest = r.replaceFirst(String.valueOf(Integer.parseInt(r.group(1)) - 1));
            m = "CodecEnc.conv_blocks." + (Integer.parseInt(b.group(1)) + 1) + "." + rest;
        }
        return m;
    }

    /** The fixture in the original layout: acoustic convs weight-normed (random gains), 2 extra conformer layers, buffers. */
    static Path writeOriginalLayout(Path dir) throws IOException {
        Map<String, TensorData> out = new LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(3);
        for (Map.Entry<String, T> e : fixture().entrySet()) {
            String n = e.getKey();
            T t = e.getValue();
            String m = original(n);
            if (n.startsWith("acoustic_encoder.") && n.endsWith(".weight")) {
                // weight = g * v / ||v|| per output channel: store v = weight * s (any s > 0) and g = ||weight||
                float[] w = t.v();
                int outC = (int) t.shape()[0];
                int per = w.length / outC;
                float[] v = new float[w.length];
                float[] g = new float[outC];
                for (int o = 0; o < outC; o++) {
                    double sq = 0;
                    for (int i = 0; i < per; i++) sq += (double) w[o * per + i] * w[o * per + i];
                    g[o] = (float) Math.sqrt(sq);
                    float s = (float) (0.5 + rnd.nextDouble());
                    for (int i = 0; i < per; i++) v[o * per + i] = w[o * per + i] * s;
                }
                String base = m.substring(0, m.length() - ".weight".length());
                out.put(base + ".weight_v", TensorData.f32(v, t.shape()));
                out.put(base + ".weight_g", TensorData.f32(g, outC, 1, 1));
                continue;
            }
            out.put(m, t.data());
        }
        // layers X-codec2 does not run (the original holds all 24 of w2v-BERT), and buffers
        for (Map.Entry<String, T> e : fixture().entrySet()) {
            if (e.getKey().startsWith("semantic_encoder.encoder.layers.1.")) {
                out.put(original(e.getKey()).replace(".layers.1.", ".layers.2."), e.getValue().data());
                out.put(original(e.getKey()).replace(".layers.1.", ".layers.3."), e.getValue().data());
            }
        }
        out.put("CodecEnc.conv_blocks.1.block.0.block.0.upsample.filter", TensorData.f32(new float[12], 1, 1, 12));
        out.put("CodecEnc.conv_blocks.1.block.0.block.0.downsample.lowpass.filter", TensorData.f32(new float[12], 1, 1, 12));
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve("model.safetensors"), out);
        Files.copy(FIXTURE.resolve("config.json"), dir.resolve("config.json"));
        return dir;
    }

    @Test
    void originalLayoutEncodesIdentically() throws Exception {
        Path dir = writeOriginalLayout(tmp.resolve("original"));
        float[] audio = Wav.read(FIXTURE.resolve("prompt.wav")).samples();
        try (SpeechCodec codec = Codecs.open(dir)) {
            assertTrue(codec.canEncode());
            XCodec2Encoder.Trace t = ((XCodec2Codec) codec).encoder().trace(audio, false);
            assertArrayEquals(XCodec2EncoderGoldenTest.goldenCodes(), t.codes());
            XCodec2EncoderGoldenTest.assertClose("original layout", Npy.readFloats(FIXTURE.resolve("fused.npy")), t.fused());
        }
    }

    /**
     * A bf16 checkpoint (conformer matrices used in place as bf16) encodes exactly like an f32 checkpoint holding the
     * same bf16-rounded values.
     */
    @Test
    void bf16CheckpointsEncodeLikeTheirF32Values() throws Exception {
        Map<String, TensorData> bf16 = new LinkedHashMap<>();
        Map<String, TensorData> rounded = new LinkedHashMap<>();
        for (Map.Entry<String, T> e : fixture().entrySet()) {
            float[] v = e.getValue().v().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = org.llasalab.io.FloatConversions.bf16ToFloat(org.llasalab.io.FloatConversions.floatToBf16(v[i]));
            }
            bf16.put(e.getKey(), TensorData.bf16(v, e.getValue().shape()));
            rounded.put(e.getKey(), TensorData.f32(v, e.getValue().shape()));
        }
        float[] audio = Wav.read(FIXTURE.resolve("prompt.wav")).samples();
        XCodec2Encoder.Trace[] traces = new XCodec2Encoder.Trace[2];
        int i = 0;
        for (Map<String, TensorData> tensors : java.util.List.of(bf16, rounded)) {
            Path dir = Files.createDirectories(tmp.resolve("dtype" + i));
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors);
            Files.copy(FIXTURE.resolve("config.json"), dir.resolve("config.json"));
            try (SpeechCodec codec = Codecs.open(dir)) {
                traces[i++] = ((XCodec2Codec) codec).encoder().trace(audio, false);
            }
        }
        assertArrayEquals(traces[1].codes(), traces[0].codes());
        assertArrayEquals(traces[1].fused(), traces[0].fused(), 1e-5f);
    }

    @Test
    void aBrokenEncoderListsItsProblemsAndStillDecodes() throws Exception {
        Map<String, TensorData> t = new LinkedHashMap<>();
        fixture().forEach((k, v) -> t.put(k, v.data()));
        t.remove("acoustic_encoder.block.2.res_unit3.conv1.weight");
        t.put("semantic_encoder.encoder.layers.0.self_attn.linear_q.weight", TensorData.f32(new float[32 * 31], 32, 31));
        t.put("acoustic_encoder.block.9.conv1.weight", TensorData.f32(new float[1], 1));
        Path dir = Files.createDirectories(tmp.resolve("broken"));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), t);
        Files.copy(FIXTURE.resolve("config.json"), dir.resolve("config.json"));
        try (SpeechCodec codec = Codecs.open(dir)) {
            assertFalse(codec.canEncode());
            assertTrue(codec.decode(new int[] {1, 2, 3}).length == 3 * 320);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> codec.encode(new float[16000]));
            String msg = e.getMessage();
            assertTrue(msg.contains("missing 1 keys: [acoustic_encoder.block.2.res_unit3.conv1.weight]"), msg);
            assertTrue(msg.contains("unknown 1 keys: [acoustic_encoder.block.9.conv1.weight]"), msg);
            assertTrue(msg.contains("semantic_encoder.encoder.layers.0.self_attn.linear_q.weight [32, 31] (expected [32, 32])"), msg);
        }
    }

    @Test
    void aDecoderOnlyFolderSaysSo() throws Exception {
        try (SpeechCodec codec = Codecs.open(XCodec2GoldenTest.FIXTURE)) {
            assertFalse(codec.canEncode());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> codec.encode(new float[16000]));
            assertTrue(e.getMessage().contains("holds only the decoder"), e.getMessage());
        }
    }

    @Test
    void kaiserFilterMatchesTheReferenceFormula() {
        float[] f = XCodec2Encoder.kaiserSinc(0.25, 0.3, 12);
        double sum = 0;
        for (float v : f) sum += v;
        org.junit.jupiter.api.Assertions.assertEquals(1.0, sum, 1e-6);
        for (int i = 0; i < 6; i++) org.junit.jupiter.api.Assertions.assertEquals(f[i], f[11 - i], 1e-7); // symmetric
    }
}
