package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.codec.micro.Codebook;
import org.llasalab.codec.micro.MicroCodec;
import org.llasalab.codec.micro.MicroCodecConfig;
import org.llasalab.lm.SamplingParams;
import org.llasalab.lm.prompt.PromptTemplate;
import org.llasalab.lm.prompt.TestTokenizers;
import org.llasalab.verify.Candidate;

/** The one model-opening set-up of synth and the sweep: the golden tiny Llama, a test tokenizer, small codecs. */
class LlasaModelsTest {
    static final Path HOME = Path.of(System.getProperty("llasa.home", "."));
    static final Path LLAMA = HOME.resolve("toolkit/src/test/resources/golden/llama/tiny-llama3");
    static final Path XCODEC2 = HOME.resolve("toolkit/src/test/resources/golden/xcodec2");
    /** 21 words + 5 specials + 8 markers + 478 speech tokens = the tiny model's 512 ids. */
    static final int SPEECH_TOKENS = 512 - (TestTokenizers.PROMPT_WORDS.size() + 2) - 13;

    @TempDir
    Path tmp;
    Path modelDir;
    Path smallCodec;

    @BeforeEach
    void folders() throws Exception {
        modelDir = model(SPEECH_TOKENS);
        smallCodec = tmp.resolve("codec-32");
        new MicroCodec(MicroCodecConfig.defaults(1, 32), new Codebook(new float[32][80])).save(smallCodec, Map.of());
    }

    private Path model(int speechTokens) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("model-" + speechTokens));
        for (String f : List.of("config.json", "model.safetensors")) Files.copy(LLAMA.resolve(f), dir.resolve(f));
        TestTokenizers.llasa(dir.resolve("tokenizer.json"), List.of("hello", "world"), speechTokens);
        return dir;
    }

    /** A codec view that counts how often the codec is closed. */
    private static UnaryOperator<SpeechCodec> counting(AtomicInteger closed) {
        return c -> new SpeechCodec() {
            @Override public String name() { return c.name(); }
            @Override public int sampleRate() { return c.sampleRate(); }
            @Override public double frameRate() { return c.frameRate(); }
            @Override public int codebookSize() { return c.codebookSize(); }
            @Override public int hopLength() { return c.hopLength(); }
            @Override public boolean canEncode() { return c.canEncode(); }
            @Override public int[][] encode(float[][] audio) { return c.encode(audio); }
            @Override public float[][] decode(int[][] codes) { return c.decode(codes); }
            @Override public void close() {
                closed.incrementAndGet();
                c.close();
            }
        };
    }

    @Test
    void speechTokensAreClampedToTheCodecAndTheSearchDrawsOnlyItsCodes() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        try (LlasaModels models = LlasaModels.open(new LlasaModels.Spec(modelDir, smallCodec), counting(closed))) {
            var all = models.tokenizer().speechTokens();
            assertEquals(SPEECH_TOKENS, all.codebookSize());
            assertEquals(32, models.speech().codebookSize(), "clamped to the codec's 32 codes");
            assertEquals(all.offset(), models.speech().offset());
            assertEquals(all.endId(), models.speech().endId());
            SearchRequest r = new SearchRequest("u", models.prompt().ids("hello world"), Candidate.of(null, "hello world"), 0, 9);
            SearchOutcome o = SearchStrategies.create("sample", Map.of("max_tokens", 24), new SamplingParams(1.5, 0, 1.0, 0, 1))
                    .search(List.of(r), models.search(models.prompts(q -> null)), Guides.none()).getFirst();
            assertFalse(o.chosen().codes().length == 0 && !o.chosen().finished());
            for (int code : o.chosen().codes()) assertTrue(code >= 0 && code < 32, "code " + code);
            assertEquals(0, closed.get());
        }
        assertEquals(1, closed.get(), "closing the models closes the codec");
        try (LlasaModels models = LlasaModels.open(new LlasaModels.Spec(modelDir, XCODEC2))) {
            assertEquals(SPEECH_TOKENS, models.speech().codebookSize(), "a codec with more codes leaves them all");
        }
    }

    @Test
    void weightsInAnotherDtypeThanExpectedAreRefusedAndWhatWasOpenedIsClosed() throws Exception {
        String stored;
        try (LlasaModels models = LlasaModels.open(new LlasaModels.Spec(modelDir, smallCodec))) {
            stored = models.lm().weightDType().name().toLowerCase(Locale.ROOT);
        }
        String other = stored.equals("f32") ? "bf16" : "f32";
        AtomicInteger closed = new AtomicInteger();
        IOException e = assertThrows(IOException.class, () -> LlasaModels.open(
                new LlasaModels.Spec(modelDir, null, smallCodec, null, null, other), counting(closed)));
        assertTrue(e.getMessage().contains(modelDir.toString()) && e.getMessage().contains(other)
                && e.getMessage().contains(stored), e.getMessage());
        assertEquals(1, closed.get(), "the codec opened before the check is closed");
        LlasaModels.open(new LlasaModels.Spec(modelDir, null, smallCodec, null, null, stored.toUpperCase(Locale.ROOT)))
                .close();
    }

    @Test
    void anLmVocabularyWithoutTheTokenizersSpeechTokensIsRefused() throws Exception {
        Path tooMany = model(SPEECH_TOKENS + 40);
        IOException e = assertThrows(IOException.class, () -> LlasaModels.open(new LlasaModels.Spec(tooMany, XCODEC2)));
        assertTrue(e.getMessage().contains(tooMany.toString()) && e.getMessage().contains("does not cover"), e.getMessage());
        // the same tokenizer with a codec of 32 codes: the clamped speech tokens fit the vocabulary
        try (LlasaModels models = LlasaModels.open(new LlasaModels.Spec(tooMany, smallCodec))) {
            assertEquals(32, models.speech().codebookSize());
        }
    }

    @Test
    void theTemplateAndTheVoicePromptShapeThePromptIds() throws Exception {
        PromptTemplate bare = PromptTemplate.DEFAULT.withSystemHeader(false);
        try (LlasaModels plain = LlasaModels.open(new LlasaModels.Spec(modelDir, smallCodec));
                LlasaModels templated = LlasaModels.open(new LlasaModels.Spec(modelDir, null, smallCodec, null, bare, null))) {
            assertFalse(java.util.Arrays.equals(plain.prompt().ids("hello"), templated.prompt().ids("hello")),
                    "the template changes the prompt ids");
            int[] voice = {3, 9, 27};
            SearchRequest cloning = new SearchRequest("c", new int[] {1}, new Candidate(null, "world", null, "hello", null), 0, 0);
            SearchRequest zeroShot = new SearchRequest("z", new int[] {1}, Candidate.of(null, "world"), 0, 0);
            PromptBuilder prompts = plain.prompts(r -> voice);
            assertArrayEquals(plain.prompt().ids("hello", voice, "world"), prompts.prompt(cloning, "world"));
            assertArrayEquals(plain.prompt().ids("world"), prompts.prompt(zeroShot, "world"), "no prompt text, no voice");
            assertArrayEquals(plain.prompt().ids("world"), plain.prompts(r -> null).prompt(cloning, "world"),
                    "no codes: the voice prompt stays out of the LM prompt");
        }
    }
}
