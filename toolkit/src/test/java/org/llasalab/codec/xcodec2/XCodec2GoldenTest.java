package org.llasalab.codec.xcodec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;

/** The decoder against the reference transformers implementation on the tiny golden model. */
class XCodec2GoldenTest {
    static final Path FIXTURE = Path.of(System.getProperty("llasa.home", "."), "toolkit/src/test/resources/golden/xcodec2");

    static int[] goldenCodes() throws Exception {
        JsonNode codes = new ObjectMapper().readTree(FIXTURE.resolve("golden.json").toFile()).get("codes").get(0).get(0);
        int[] out = new int[codes.size()];
        for (int i = 0; i < out.length; i++) out[i] = codes.get(i).asInt();
        return out;
    }

    static void assertWaveform(float[] want, float[] got) {
        assertEquals(want.length, got.length, "waveform length");
        double maxErr = 0;
        for (int i = 0; i < want.length; i++) maxErr = Math.max(maxErr, Math.abs(want[i] - got[i]));
        assertTrue(maxErr <= 1e-4, "max abs error " + maxErr);
    }

    @Test
    void decodesTheGoldenWaveform() throws Exception {
        float[] want = Npy.readFloats(FIXTURE.resolve("decoder_waveform.npy"));
        assertEquals(2560, want.length);
        try (SpeechCodec codec = Codecs.open(FIXTURE)) {
            assertEquals("xcodec2", codec.name());
            assertEquals(65536, codec.codebookSize());
            assertEquals(320, codec.hopLength());
            assertEquals(50.0, codec.frameRate(), 1e-9);
            assertFalse(codec.canEncode());
            float[] got = codec.decode(goldenCodes());
            assertWaveform(want, got);
        }
    }

    @Test
    void batchRowsMayDifferInLength() throws Exception {
        int[] codes = goldenCodes();
        try (SpeechCodec codec = Codecs.open(FIXTURE)) {
            int[] shortRow = java.util.Arrays.copyOf(codes, 3);
            float[][] out = codec.decode(new int[][] {codes, shortRow, new int[0]});
            assertWaveform(Npy.readFloats(FIXTURE.resolve("decoder_waveform.npy")), out[0]);
            assertEquals(3 * 320, out[1].length);
            assertWaveform(codec.decode(shortRow), out[1]);
            assertEquals(0, out[2].length);
        }
    }

    @Test
    void encodeAndBadCodesFailClearly() throws Exception {
        try (SpeechCodec codec = Codecs.open(FIXTURE)) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> codec.encode(new float[320]));
            assertTrue(e.getMessage().contains("holds only the decoder"), e.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> codec.decode(new int[] {0, 65536}));
            assertTrue(bad.getMessage().contains("65536"), bad.getMessage());
        }
    }
}
