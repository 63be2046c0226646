package org.llasalab.lm.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.lm.SpeechTokens;

class LlasaPromptTest {
    @TempDir
    Path dir;

    private static int[] ids(Map<String, Integer> vocab, String... tokens) {
        int[] out = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            Integer id = vocab.get(tokens[i]);
            if (id == null) throw new AssertionError("test vocabulary lacks " + tokens[i]);
            out[i] = id;
        }
        return out;
    }

    private static final String[] SYSTEM = {"<|start_header_id|>", "system", "<|end_header_id|>", "Cutting", "Knowledge",
        "Date", ":", "December", "2023", "Today", "Date", ":", "26", "Jul", "2024", "<|eot_id|>"};

    private static String[] concat(String[]... parts) {
        List<String> all = new ArrayList<>();
        for (String[] p : parts) all.addAll(List.of(p));
        return all.toArray(String[]::new);
    }

    private static String[] userTurn(String... textWords) {
        return concat(new String[] {"<|start_header_id|>", "user", "<|end_header_id|>", "Convert", "the", "text", "to",
            "speech", ":", "<|TEXT_UNDERSTANDING_START|>"}, textWords,
            new String[] {"<|TEXT_UNDERSTANDING_END|>", "<|eot_id|>", "<|start_header_id|>", "assistant",
                "<|end_header_id|>", "<|SPEECH_GENERATION_START|>"});
    }

    @Test
    void zeroShotPromptMatchesTheChatTemplate() throws Exception {
        Map<String, Integer> vocab = TestTokenizers.llasa(dir.resolve("tokenizer.json"), List.of("hello", "world"), 16);
        try (LlasaTokenizer tok = LlasaTokenizer.open(dir)) {
            int[] got = LlasaPrompt.builder(tok).build().ids("hello world");
            int[] want = ids(vocab, concat(new String[] {"<|begin_of_text|>"}, SYSTEM, userTurn("hello", "world")));
            assertArrayEquals(want, got);

            int[] noSystem = LlasaPrompt.builder(tok).template(PromptTemplate.NO_SYSTEM).build().ids("hello world");
            assertArrayEquals(ids(vocab, concat(new String[] {"<|begin_of_text|>"}, userTurn("hello", "world"))), noSystem);
        }
    }

    @Test
    void speechTokensAreLookedUpNotAssumed() throws Exception {
        Map<String, Integer> vocab = TestTokenizers.llasa(dir.resolve("tokenizer.json"), List.of("a", "b", "c"), 37);
        try (LlasaTokenizer tok = LlasaTokenizer.open(dir.resolve("tokenizer.json"))) {
            SpeechTokens st = tok.speechTokens();
            assertEquals(vocab.get("<|s_0|>"), st.offset());
            assertEquals(vocab.get("<|SPEECH_GENERATION_END|>"), st.endId());
            assertEquals(37, st.codebookSize());
            assertArrayEquals(new int[] {0, 5, 36}, tok.toCodes(new int[] {st.offset(), st.offset() + 5, st.offset() + 36}));
            assertThrows(IllegalArgumentException.class, () -> tok.toCodes(new int[] {st.endId()}));
            assertThrows(IllegalArgumentException.class, () -> tok.toIds(new int[] {37}));
        }
    }

    @Test
    void voiceCloningPrependsTranscriptAndPromptSpeech() throws Exception {
        Map<String, Integer> vocab = TestTokenizers.llasa(dir.resolve("tokenizer.json"), List.of("hello", "world", "again"), 8);
        try (LlasaTokenizer tok = LlasaTokenizer.open(dir)) {
            LlasaPrompt prompt = LlasaPrompt.builder(tok).build();
            int[] got = prompt.ids("hello world", new int[] {3, 0, 7}, "again");
            int[] want = ids(vocab, concat(new String[] {"<|begin_of_text|>"}, SYSTEM,
                    userTurn("hello", "world", "again"), new String[] {"<|s_3|>", "<|s_0|>", "<|s_7|>"}));
            assertArrayEquals(want, got);
            String rendered = prompt.render("hello world", new int[] {3, 0, 7}, "again");
            assertTrue(rendered.endsWith("<|SPEECH_GENERATION_START|><|s_3|><|s_0|><|s_7|>"), rendered);
            assertTrue(rendered.contains("<|TEXT_UNDERSTANDING_START|>hello world again<|TEXT_UNDERSTANDING_END|>"), rendered);
        }
    }

    @Test
    void frontEndIsAppliedToEachText() throws Exception {
        Map<String, Integer> vocab = TestTokenizers.llasa(dir.resolve("tokenizer.json"), List.of("HELLO", "AGAIN"), 4);
        try (LlasaTokenizer tok = LlasaTokenizer.open(dir)) {
            LlasaPrompt prompt = LlasaPrompt.builder(tok).template(PromptTemplate.NO_SYSTEM)
                    .frontEnd(s -> s.toUpperCase()).build();
            int[] got = prompt.ids("hello", new int[] {1}, "again");
            int[] want = ids(vocab, concat(new String[] {"<|begin_of_text|>"}, userTurn("HELLO", "AGAIN"),
                    new String[] {"<|s_1|>"}));
            assertArrayEquals(want, got);
        }
    }

    @Test
    void templateComesFromConfiguration() throws Exception {
        Map<String, Integer> vocab = TestTokenizers.llasa(dir.resolve("tokenizer.json"), List.of("hi"), 4);
        Path json = java.nio.file.Files.writeString(dir.resolve("template.json"),
                "{\"template\": \"<|TEXT_UNDERSTANDING_START|>{text}<|TEXT_UNDERSTANDING_END|><|SPEECH_GENERATION_START|>{speech}\","
                        + " \"system_header\": false}");
        PromptTemplate t = PromptTemplate.read(json);
        assertEquals(PromptTemplate.DEFAULT, PromptTemplate.read(java.nio.file.Files.writeString(dir.resolve("empty.yaml"), "{}\n")));
        // every problem at once, with the file and line: a misspelt key, a mistyped one, a format without {speech}
        Path bad = java.nio.file.Files.writeString(dir.resolve("bad.yaml"),
                "template: \"{text} only\"\nsystem_header: maybe\nsystem_mesage: hi\n");
        org.llasalab.io.yaml.YamlException e = assertThrows(org.llasalab.io.yaml.YamlException.class, () -> PromptTemplate.read(bad));
        assertTrue(e.getMessage().contains("unknown key 'system_mesage'"), e.getMessage());
        assertTrue(e.getMessage().contains("system_header"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.yaml:3"), e.getMessage());
        try (LlasaTokenizer tok = LlasaTokenizer.open(dir)) {
            int[] got = LlasaPrompt.builder(tok).template(t).build().ids("hi", new int[] {2}, "hi");
            assertArrayEquals(ids(vocab, "<|TEXT_UNDERSTANDING_START|>", "hi", "hi", "<|TEXT_UNDERSTANDING_END|>",
                    "<|SPEECH_GENERATION_START|>", "<|s_2|>"), got);
        }
        assertThrows(IllegalArgumentException.class, () -> new PromptTemplate("{text} only", false, ""));
    }

    @Test
    void missingMarkerIsAClearError() throws Exception {
        List<String> markers = new ArrayList<>(LlasaTokenizer.MARKERS);
        markers.remove("<|SPEECH_GENERATION_END|>");
        Path file = dir.resolve("tokenizer.json");
        Map<String, Integer> vocab = TestTokenizers.vocabulary(TestTokenizers.PROMPT_WORDS, TestTokenizers.LLAMA3_SPECIALS,
                markers, 4);
        TestTokenizers.write(file, vocab, TestTokenizers.PROMPT_WORDS.size());
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> LlasaTokenizer.open(file));
        assertTrue(e.getMessage().contains("<|SPEECH_GENERATION_END|>") && e.getMessage().contains(file.toString()),
                e.getMessage());

        Path noSpeech = dir.resolve("nospeech.json");
        TestTokenizers.write(noSpeech, TestTokenizers.vocabulary(TestTokenizers.PROMPT_WORDS,
                TestTokenizers.LLAMA3_SPECIALS, LlasaTokenizer.MARKERS, 0), TestTokenizers.PROMPT_WORDS.size());
        e = assertThrows(java.io.IOException.class, () -> LlasaTokenizer.open(noSpeech));
        assertTrue(e.getMessage().contains("<|s_0|>"), e.getMessage());
    }
}
