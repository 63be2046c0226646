package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.io.DType;
import org.llasalab.io.TensorStore;
import org.llasalab.lm.prompt.LlasaPrompt;
import org.llasalab.lm.prompt.LlasaTokenizer;
import org.llasalab.lm.prompt.PromptTemplate;
import org.nd4j.linalg.api.ndarray.INDArray;

class ExportAndSequencesTest {
    @org.junit.jupiter.api.BeforeAll
    static void oneNativeThread() {
        NativeBackend.select(NativeBackend.DEFAULT_BUILD, 1); // the machine is shared: one OpenMP thread is fastest
    }

    static final List<String> SYMBOLS = List.of("|", "h", "@", "l", "oU", "w", "3:", "d");
    static final int K = 16;

    static Path exportTiny(Path dir, ModelShape shape, TokenizerSpec spec, DType dtype, Map<String, INDArray> w)
            throws IOException {
        HuggingFaceExport.export(dir, shape, w, spec,
                new HuggingFaceExport.FrontEnd("micro-phonemes", "toolkit/microworld/lexicon.tsv", "|", "micro"),
                new TrainingSummary(shape.parameterCount(), 3, 300, 200, 1e9, 12.5, 2.5), "llasa train x.yaml", dtype);
        return dir;
    }

    @Test
    void exportedFolderLoadsAndSequencesMatchTheInferencePrompt(@TempDir Path tmp) throws Exception {
        TokenizerSpec spec = new TokenizerSpec(PromptTemplate.DEFAULT, SYMBOLS, K);
        ModelShape shape = new ModelShape(spec.vocabSize(), 16, 1, 2, 1, 24, 10000, 1e-5, false, 128);
        Map<String, INDArray> weights = LlamaTrainingGraph.initialWeights(shape, 3, 0.5);
        Path dir = exportTiny(tmp.resolve("model"), shape, spec, DType.BF16, weights);

        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertEquals("llama", config.get("model_type").asText());
        assertEquals(spec.vocabSize(), config.get("vocab_size").asInt());
        assertEquals(spec.id("<|SPEECH_GENERATION_END|>"), config.get("eos_token_id").asInt());
        assertFalse(config.get("tie_word_embeddings").asBoolean());
        assertEquals("bfloat16", config.get("torch_dtype").asText());
        assertTrue(Files.readString(dir.resolve("README.md")).contains("llasa train x.yaml"));
        // the run's facts at these weights, for a study of runs: exactly what was exported
        assertEquals(new TrainingSummary(shape.parameterCount(), 3, 300, 200, 1e9, 12.5, 2.5), TrainingSummary.read(dir));
        IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class, () -> HuggingFaceExport.export(
                tmp.resolve("other"), shape, weights, spec, new HuggingFaceExport.FrontEnd("micro-phonemes", null, "|", "micro"),
                new TrainingSummary(shape.parameterCount() + 1, 3, 300, 200, 1e9, 12.5, 2.5), "x", DType.BF16));
        assertTrue(wrongSize.getMessage().contains("parameters"), wrongSize.getMessage());
        assertFalse(Files.exists(tmp.resolve("other")));
        assertEquals("micro-phonemes", new ObjectMapper().readTree(dir.resolve("llasa_frontend.json").toFile())
                .get("type").asText());
        try (TensorStore store = TensorStore.open(dir)) {
            assertEquals(DType.BF16, store.dtype("lm_head.weight"));
            float[] head = store.toFloatArray("lm_head.weight");
            float[] original = weights.get("lm_head.weight").data().asFloat();
            for (int i = 0; i < head.length; i++) assertEquals(original[i], head[i], Math.abs(original[i]) / 128 + 1e-6);
        }

        try (LlasaTokenizer tokenizer = LlasaTokenizer.open(dir)) { // DJL's HuggingFaceTokenizer underneath
            assertEquals(spec.speechOffset(), tokenizer.speechTokens().offset());
            assertEquals(K, tokenizer.speechTokens().codebookSize());
            assertArrayEquals(new int[] {spec.id("h"), spec.id("@"), spec.id("|"), spec.id("oU")}, tokenizer.encode("h @ | oU"));
            LlasaPrompt prompt = LlasaPrompt.builder(tokenizer).build();
            LlasaSequences sequences = new LlasaSequences(prompt);
            Utterance a = new Utterance("a", "v1", "", "h @ l oU", new int[] {1, 2, 3});
            Utterance b = new Utterance("b", "v1", "", "w 3: l d", new int[] {4, 5, 15, 0});
            TokenSequence single = sequences.single(a);
            int[] expectedPrompt = prompt.ids("h @ l oU");
            assertArrayEquals(expectedPrompt, Arrays.copyOf(single.ids(), expectedPrompt.length));
            assertEquals(spec.id("<|begin_of_text|>"), single.ids()[0]);
            assertEquals(spec.id("<|SPEECH_GENERATION_START|>"), single.ids()[single.lossFrom() - 1]);
            assertArrayEquals(new int[] {spec.speechOffset() + 1, spec.speechOffset() + 2, spec.speechOffset() + 3,
                    spec.id("<|SPEECH_GENERATION_END|>")}, Arrays.copyOfRange(single.ids(), single.lossFrom(), single.length()));
            assertFalse(Arrays.stream(single.ids()).anyMatch(id -> id == spec.id(TokenizerSpec.UNKNOWN)),
                    "every template word and symbol is in the vocabulary");

            TokenSequence pair = sequences.pair(a, b);
            int[] pairPrompt = prompt.ids("h @ l oU", new int[] {1, 2, 3}, "w 3: l d");
            assertArrayEquals(pairPrompt, Arrays.copyOf(pair.ids(), pairPrompt.length));
            assertEquals(4 + 3 + 1, pair.lossTokens(), "prompt speech + target speech + end");
            assertThrows(IllegalArgumentException.class, () -> sequences.pair(a, new Utterance("c", "v2", "", "d", new int[] {1})));

            List<TokenSequence> built = sequences.build(List.of(a, b), 1.0, 1000, 1);
            assertEquals(2, built.size());
            assertTrue(built.stream().allMatch(s -> s.lossTokens() == 8), "both became pairs");
        }
    }

    @Test
    void utteranceCacheRoundTripsAndRejectsBadFiles(@TempDir Path tmp) throws Exception {
        List<Utterance> list = List.of(new Utterance("u1", "spk-a/neutral", "", "h @ |", new int[] {0, 5, 1023}),
                new Utterance("u2", "spk-b/fast", "dev", "d", new int[] {7}));
        Path file = tmp.resolve("cache.bin");
        UtteranceCache.write(file, "micro", 1024, list);
        UtteranceCache.Contents back = UtteranceCache.read(file);
        assertEquals("micro", back.codec());
        assertEquals(1024, back.codebookSize());
        assertEquals(2, back.utterances().size());
        assertArrayEquals(new int[] {0, 5, 1023}, back.utterances().get(0).codes());
        assertEquals("spk-b/fast", back.utterances().get(1).voice());
        assertEquals("dev", back.utterances().get(1).split());
        Files.write(tmp.resolve("bad.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        IOException e = assertThrows(IOException.class, () -> UtteranceCache.read(tmp.resolve("bad.bin")));
        assertTrue(e.getMessage().contains("bad.bin"), e.getMessage());
    }
}
