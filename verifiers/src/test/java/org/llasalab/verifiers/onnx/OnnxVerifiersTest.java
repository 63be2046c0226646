package org.llasalab.verifiers.onnx;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.VerifierParams;
import org.llasalab.verify.Verifiers;

/** The ONNX back-ends on tiny models, against numbers PyTorch computed (expected.json). */
class OnnxVerifiersTest {
    private static final JsonNode EXPECTED = TinyModels.expected();
    private static final float[] A = TinyModels.audio("a.wav");
    private static final float[] B = TinyModels.audio("b.wav");

    private static void assertClose(JsonNode expected, float[] actual) {
        float[] e = TinyModels.floats(expected);
        assertEquals(e.length, actual.length);
        double scale = 0;
        for (float v : e) scale = Math.max(scale, Math.abs(v));
        assertArrayEquals(e, actual, (float) (1e-4 * scale + 1e-7));
    }

    private static OnnxEmbedder embedder(Map<String, Object> params) {
        return OnnxEmbedder.fromParams(new VerifierParams("test", params, TinyModels.dir()), "output", "raw", false);
    }

    @Test
    void rawWaveformSpeakerEmbedding() {
        try (OnnxEmbedder e = embedder(Map.of("model", "speaker_raw.onnx"))) {
            assertClose(EXPECTED.get("raw").get("a"), e.embed(A));
            assertClose(EXPECTED.get("raw").get("b"), e.embed(B));
        }
    }

    @Test
    void fbankSpeakerEmbedding() {
        try (OnnxEmbedder e = embedder(Map.of("model", "speaker_fbank.onnx", "features", "fbank", "window", "hamming",
                "input", "feats", "output", "embs"))) {
            assertClose(EXPECTED.get("fbank").get("a"), e.embed(A));
            assertClose(EXPECTED.get("fbank").get("b"), e.embed(B));
        }
    }

    @Test
    void simVerifierScoresCosineWithPrompt() {
        try (Verifier sim = Verifiers.create("sim", Map.of("model", "speaker_raw.onnx"), TinyModels.dir())) {
            assertEquals("sim", sim.metric());
            assertEquals(Verifier.Direction.HIGHER_IS_BETTER, sim.direction());
            assertEquals(-1, sim.min());
            assertEquals(1, sim.max());
            List<Score> s = sim.score(List.of(new Candidate(A, "x", B, null, null), new Candidate(B, "x", B, null, null)));
            assertEquals(EXPECTED.get("raw").get("cosine").asDouble(), s.get(0).value(), 1e-4);
            assertEquals(1.0, s.get(1).value(), 1e-6, "same audio as prompt");
            assertEquals(8, s.get(0).details().get("embedding_size"));
        }
        try (Verifier sim = Verifiers.create("sim", Map.of("model", "speaker_fbank.onnx", "features", "fbank"),
                TinyModels.dir())) {
            double cos = sim.score(List.of(new Candidate(A, "x", B, null, null))).getFirst().value();
            assertEquals(EXPECTED.get("fbank").get("cosine").asDouble(), cos, 1e-4);
        }
    }

    @Test
    void simNeedsPromptAudio() {
        try (Verifier sim = Verifiers.create("sim", Map.of("model", "speaker_raw.onnx"), TinyModels.dir())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sim.score(List.of(Candidate.of(A, "x"))));
            assertTrue(e.getMessage().contains("prompt"), e.getMessage());
        }
    }

    @Test
    void emotionProbabilityOfTarget() {
        JsonNode emo = EXPECTED.get("emotion");
        try (Verifier v = Verifiers.create("emotion", Map.of("model", "emotion.onnx", "output", "logits",
                "labels", List.of("angry", "happy", "neutral", "sad")), TinyModels.dir())) {
            assertEquals(0, v.min());
            List<Score> s = v.score(List.of(new Candidate(A, "x", null, null, "happy"),
                    new Candidate(B, "x", null, null, "SAD")));
            assertEquals(emo.get("a_probabilities").get(1).asDouble(), s.get(0).value(), 1e-5);
            assertEquals(emo.get("b_probabilities").get(3).asDouble(), s.get(1).value(), 1e-5);
            @SuppressWarnings("unchecked")
            Map<String, Object> probs = (Map<String, Object>) s.get(0).details().get("probabilities");
            assertEquals(emo.get("a_probabilities").get(0).asDouble(), (Double) probs.get("angry"), 1e-5);
            assertEquals("happy", s.get(0).details().get("predicted"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> v.score(List.of(new Candidate(A, "x", null, null, "bored"))));
            assertTrue(e.getMessage().contains("bored") && e.getMessage().contains("neutral"), e.getMessage());
        }
    }

    @Test
    void emotionEmbeddingCosine() {
        try (Verifier v = Verifiers.create("emotion", Map.of("model", "emotion.onnx", "mode", "cosine",
                "embedding_output", "embedding"), TinyModels.dir())) {
            assertEquals(-1, v.min());
            double cos = v.score(List.of(new Candidate(A, "x", B, null, null))).getFirst().value();
            assertEquals(EXPECTED.get("emotion").get("embedding_cosine").asDouble(), cos, 1e-5);
        }
    }

    @Test
    void labelCountMustMatchModel() {
        try (Verifier v = Verifiers.create("emotion", Map.of("model", "emotion.onnx", "output", "logits"),
                TinyModels.dir())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> v.score(List.of(new Candidate(A, "x", null, null, "happy"))));
            assertTrue(e.getMessage().contains("9 labels"), e.getMessage());
        }
    }

    @Test
    void missingModelFileIsNamed(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Verifiers.create("sim", Map.of("model", "nope.onnx"), dir));
        assertTrue(e.getMessage().contains(dir.resolve("nope.onnx").toString()), e.getMessage());
        assertTrue(e.getMessage().startsWith("sim:"), e.getMessage());
    }

    @Test
    void corruptModelFileIsNamed(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("broken.onnx"), "this is not a protobuf model".getBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Verifiers.create("emotion", Map.of("model", "broken.onnx"), dir));
        assertTrue(e.getMessage().contains(dir.resolve("broken.onnx").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cannot load ONNX model"), e.getMessage());
    }

    @Test
    void unknownInputOrOutputNamesListTheModels() {
        IllegalArgumentException in = assertThrows(IllegalArgumentException.class,
                () -> Verifiers.create("sim", Map.of("model", "speaker_raw.onnx", "input", "wav"), TinyModels.dir()));
        assertTrue(in.getMessage().contains("[waveform]"), in.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> Verifiers.create("sim", Map.of("model", "speaker_raw.onnx", "output", "emb"), TinyModels.dir()));
        assertTrue(out.getMessage().contains("[embedding]"), out.getMessage());
    }
}
