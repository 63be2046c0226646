package org.llasalab.verifiers.whisper;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;

/**
 * Whisper through whisper.cpp on a tiny model built for the test, whose greedy transcript is "hello"
 * by construction (see {@link TinyWhisperModel}): model loading, the state pool running a batch on two
 * states, short-input padding, segment text assembly and the wer verifier on top.
 */
class WhisperAsrTest {
    @TempDir
    static Path dir;

    private static float[] noise(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.1 * r.nextGaussian());
        return x;
    }

    @ParameterizedTest
    @ValueSource(ints = {TinyWhisperModel.ENGLISH_VOCAB, TinyWhisperModel.LARGE_V3_VOCAB})
    void transcribesThroughWhisperCpp(int vocab) throws Exception {
        Path model = TinyWhisperModel.write(dir.resolve("tiny-" + vocab + ".bin"), vocab);
        try (WhisperAsr asr = new WhisperAsr(model, 2, 1, "en")) {
            List<String> out = asr.transcribe(List.of(new float[4000], noise(32000, 1), noise(48000, 2)));
            assertEquals(List.of("hello", "hello", "hello"), out);
            assertEquals(List.of(), asr.transcribe(List.of()));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {TinyWhisperModel.LARGE_V3_VOCAB})
    void werVerifierOnWhisper(int vocab) throws Exception {
        Path model = TinyWhisperModel.write(dir.resolve("wer-" + vocab + ".bin"), vocab);
        try (Verifier wer = Verifiers.create("wer", Map.of("asr", "whisper", "model", model.getFileName().toString(),
                "states", 2), dir)) {
            List<Score> s = wer.score(List.of(Candidate.of(noise(16000, 3), "Hello!"),
                    Candidate.of(noise(16000, 4), "Goodbye, world.")));
            assertEquals(0.0, s.get(0).value());
            assertEquals("hello", s.get(0).details().get("transcript"));
            assertEquals(1.0, s.get(1).value(), "one substitution and one deletion over two words");
            assertEquals(1, s.get(1).details().get("substitutions"));
            assertEquals(1, s.get(1).details().get("deletions"));
        }
    }
}
