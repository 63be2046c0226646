package org.llasalab.lm.prompt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small WordLevel {@code tokenizer.json} files for tests: ids 0.. for the words (whitespace and
 * punctuation split), then the added tokens (Llama-3 specials, the Llasa markers, speech tokens).
 */
public final class TestTokenizers {
    public static final List<String> LLAMA3_SPECIALS = List.of(
            "<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>");

    /** Words every Llasa prompt needs (header roles, the instruction, the system message). */
    public static final List<String> PROMPT_WORDS = List.of("<unk>", "user", "assistant", "system", "Convert", "the",
            "text", "to", "speech", ":", "Cutting", "Knowledge", "Date", "December", "2023", "Today", "26", "Jul", "2024");

    private TestTokenizers() {}

    /** A vocabulary: words, then specials, then markers, then {@code <|s_0|>}..{@code <|s_K-1|>}. */
    public static Map<String, Integer> vocabulary(List<String> words, List<String> specials, List<String> markers,
            int speechTokens) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String w : words) vocab.putIfAbsent(w, vocab.size());
        for (String s : specials) vocab.putIfAbsent(s, vocab.size());
        for (String m : markers) vocab.putIfAbsent(m, vocab.size());
        for (int i = 0; i < speechTokens; i++) vocab.putIfAbsent(LlasaTokenizer.speechToken(i), vocab.size());
        return vocab;
    }

    /** Writes the vocabulary as tokenizer.json; entries after the first {@code wordCount} are added tokens. */
    public static Path write(Path file, Map<String, Integer> vocab, int wordCount) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode words = json.createObjectNode();
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(vocab.entrySet());
        for (int i = 0; i < entries.size(); i++) {
            Map.Entry<String, Integer> e = entries.get(i);
            words.put(e.getKey(), e.getValue());
            if (i >= wordCount) {
                ObjectNode t = added.addObject();
                t.put("id", e.getValue());
                t.put("content", e.getKey());
                t.put("single_word", false);
                t.put("lstrip", false);
                t.put("rstrip", false);
                t.put("normalized", false);
                t.put("special", true);
            }
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        model.set("vocab", words);
        model.put("unk_token", "<unk>");
        Files.createDirectories(file.toAbsolutePath().getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        return file;
    }

    /** A complete Llasa test tokenizer: prompt words + {@code extraWords}, specials, markers, K speech tokens. */
    public static Map<String, Integer> llasa(Path file, List<String> extraWords, int speechTokens) throws IOException {
        List<String> words = new ArrayList<>(PROMPT_WORDS);
        words.addAll(extraWords);
        Map<String, Integer> vocab = vocabulary(words, LLAMA3_SPECIALS, LlasaTokenizer.MARKERS, speechTokens);
        write(file, vocab, (int) words.stream().distinct().count());
        return vocab;
    }
}
