package org.llasalab.codec.xcodec2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.dsp.Wav;

/**
 * The encoder against the upstream transformers implementation (PyTorch 1.13.1) on the tiny golden model of
 * {@code golden/xcodec2-encoder} (see its README): every stage within 1e-4, the codes equal, and the decoder
 * turning those codes into the reference's waveform.
 */
class XCodec2EncoderGoldenTest {
    static final Path FIXTURE = Path.of(System.getProperty("llasa.home", "."), "toolkit/src/test/resources/golden/xcodec2-encoder");
    static final double TOLERANCE = 1e-4;

    private static SpeechCodec codec;
    private static XCodec2Encoder.Trace trace;

    @BeforeAll
    static void encodeThePrompt() throws Exception {
        codec = Codecs.open(FIXTURE);
        XCodec2Encoder encoder = ((XCodec2Codec) codec).encoder();
        trace = encoder.trace(Wav.read(FIXTURE.resolve("prompt.wav")).samples(), true);
    }

    @AfterAll
    static void close() {
        codec.close();
    }

    static int[] goldenCodes() throws Exception {
        JsonNode codes = new ObjectMapper().readTree(FIXTURE.resolve("golden.json").toFile()).get("codes");
        int[] out = new int[codes.size()];
        for (int i = 0; i < out.length; i++) out[i] = codes.get(i).asInt();
        return out;
    }

    /** The largest absolute difference, asserted within {@link #TOLERANCE}; returned for the report. */
    static double assertClose(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + ": length");
        double max = 0;
        for (int i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i] - got[i]));
        System.out.printf("xcodec2 encoder golden: %-16s max abs error %.2e over %d values%n", what, max, want.length);
        assertTrue(max <= TOLERANCE, what + ": max abs error " + max);
        return max;
    }

    @Test
    void featuresMatchTheReferenceFrontEnd() throws Exception {
        assertEquals(31, trace.frames());
        assertClose("features", Npy.readFloats(FIXTURE.resolve("features.npy")), trace.features());
    }

    @Test
    void everyConformerHiddenStateMatches() throws Exception {
        float[] all = Npy.readFloats(FIXTURE.resolve("semantic_hidden_states.npy"));
        assertEquals(3, trace.hiddenStates().size()); // the projection, then each of the 2 layers
        int per = all.length / 3;
        for (int i = 0; i < 3; i++) {
            float[] want = java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per);
            assertClose("hidden state " + i, want, trace.hiddenStates().get(i));
        }
    }

    @Test
    void branchesAndFusionMatch() throws Exception {
        assertClose("semantic adapter", Npy.readFloats(FIXTURE.resolve("semantic_adapted.npy")), trace.adapted());
        assertClose("acoustic", Npy.readFloats(FIXTURE.resolve("acoustic.npy")), trace.acoustic());
        assertClose("fc_prior", Npy.readFloats(FIXTURE.resolve("fused.npy")), trace.fused());
    }

    @Test
    void codesAreEqual() throws Exception {
        assertArrayEquals(goldenCodes(), trace.codes());
        assertArrayEquals(goldenCodes(), codec.encode(Wav.read(FIXTURE.resolve("prompt.wav")).samples()));
    }

    @Test
    void encodeThenDecodeGivesTheReferenceWaveform() throws Exception {
        assertTrue(codec.canEncode());
        float[] audio = Wav.read(FIXTURE.resolve("prompt.wav")).samples();
        float[] decoded = codec.decode(codec.encode(audio));
        assertEquals(31 * 320, decoded.length);
        assertClose("round trip", Npy.readFloats(FIXTURE.resolve("decoded.npy")), decoded);
    }
}
