package org.llasalab.verifiers.onnx;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import org.llasalab.dsp.KaldiFbank;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The toolkit's Kaldi fbank, as the speaker models use it, against torchaudio.compliance.kaldi.fbank on the same audio (expected.json). */
class KaldiFbankTest {
    @ParameterizedTest
    @ValueSource(strings = {"hamming", "povey"})
    void matchesTorchaudio(String window) {
        JsonNode ref = TinyModels.expected().get("fbank_features").get(window);
        float[] wave = TinyModels.audio("a.wav");
        for (int i = 0; i < wave.length; i++) wave[i] *= 32768f;
        float[] flat = KaldiFbank.at16k(80, KaldiFbank.Window.valueOf(window.toUpperCase())).compute(wave, 1.0);
        float[][] feats = new float[flat.length / 80][];
        for (int f = 0; f < feats.length; f++) feats[f] = java.util.Arrays.copyOfRange(flat, f * 80, (f + 1) * 80);
        assertEquals(ref.get("frames").asInt(), feats.length);
        for (int f = 0; f < 3; f++) {
            assertArrayEquals(TinyModels.floats(ref.get("first_frames").get(f)), feats[f], 2e-3f, "frame " + f);
        }
        assertArrayEquals(TinyModels.floats(ref.get("last_frame")), feats[feats.length - 1], 2e-3f, "last frame");
        double mean = 0;
        for (float[] frame : feats) for (float v : frame) mean += v;
        mean /= feats.length * 80.0;
        assertEquals(ref.get("mean").asDouble(), mean, 1e-3);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 399, 400, 559, 560})
    void frameCountSnipsEdges(int samples) {
        KaldiFbank fb = KaldiFbank.at16k(80, KaldiFbank.Window.POVEY);
        int expected = samples < 400 ? 0 : 1 + (samples - 400) / 160;
        assertEquals(expected, fb.frames(samples));
        assertEquals(expected * 80, fb.compute(new float[samples], 1.0).length);
    }
}
