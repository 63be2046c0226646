package org.llasalab.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llasalab.lm.prompt.LlasaTokenizer;
import org.llasalab.lm.prompt.PromptTemplate;

/**
 * The vocabulary of a micro-world Llasa model, laid out like Llasa's: text words first (the words of the
 * prompt template, then the front end's symbols), then the Llama-3 chat special tokens, the eight Llasa
 * markers and the speech tokens {@code <|s_0|>}..{@code <|s_{K-1}|>}. Written as a Hugging Face
 * {@code tokenizer.json} with a WordLevel model and a whitespace-split pre-tokenizer; every special, marker
 * and speech token is an added token, so it is recognised without surrounding spaces.
 */
public final class TokenizerSpec {
    public static final String UNKNOWN = "<unk>";
    public static final List<String> LLAMA3_SPECIALS = List.of(
            "<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>");

    private final List<String> words;
    private final int speechTokens;
    private final Map<String, Integer> vocab = new LinkedHashMap<>();

    /**
     * @param template the prompt template whose words (role names, instruction, system message) must be in the vocabulary
     * @param symbols the text front end's symbols (e.g. phonemes and the word boundary)
     * @param speechTokens codebook size K of the codec
     */
    public TokenizerSpec(PromptTemplate template, List<String> symbols, int speechTokens) {
        if (speechTokens < 1) throw new IllegalArgumentException("codebook size must be >= 1");
        Set<String> w = new LinkedHashSet<>();
        w.add(UNKNOWN);
        w.addAll(templateWords(template));
        for (String s : symbols) {
            if (s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("front-end symbol '" + s + "' is empty or holds whitespace");
            }
            if (s.startsWith("<|") && s.endsWith("|>")) throw new IllegalArgumentException("front-end symbol " + s + " looks like a special token");
            w.add(s);
        }
        this.words = List.copyOf(w);
        this.speechTokens = speechTokens;
        for (String s : words) vocab.put(s, vocab.size());
        for (String s : LLAMA3_SPECIALS) vocab.put(s, vocab.size());
        for (String s : LlasaTokenizer.MARKERS) vocab.put(s, vocab.size());
        for (int i = 0; i < speechTokens; i++) vocab.put(LlasaTokenizer.speechToken(i), vocab.size());
    }

    /** Whitespace-separated words of the template text outside the placeholders and special tokens. */
    static List<String> templateWords(PromptTemplate template) {
        String text = template.format().replace("{system}", template.systemTurn()).replace("{text}", " ")
                .replace("{speech}", " ").replaceAll("<\\|[^|]*\\|>", " ");
        List<String> out = new ArrayList<>();
        for (String part : text.split("\\s+")) if (!part.isEmpty()) out.add(part);
        return out;
    }

    public int vocabSize() {
        return vocab.size();
    }

    public int id(String token) {
        Integer id = vocab.get(token);
        if (id == null) throw new IllegalArgumentException("token '" + token + "' is not in the vocabulary");
        return id;
    }

    public int speechOffset() {
        return id(LlasaTokenizer.speechToken(0));
    }

    public int codebookSize() {
        return speechTokens;
    }

    public Map<String, Integer> vocabulary() {
        return Collections.unmodifiableMap(vocab);
    }

    /** The tokenizer.json document. */
    public byte[] tokenizerJson() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        vocab.forEach((token, id) -> {
            if (id < words.size()) return;
            ObjectNode t = added.addObject();
            t.put("id", id);
            t.put("content", token);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        });
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        model.put("unk_token", UNKNOWN);
        return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /** tokenizer_config.json: the special tokens transformers expects by name. */
    public byte[] tokenizerConfigJson() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("tokenizer_class", "PreTrainedTokenizerFast");
        root.put("bos_token", "<|begin_of_text|>");
        root.put("eos_token", LlasaTokenizer.SPEECH_END);
        root.put("unk_token", UNKNOWN);
        root.put("model_max_length", 1 << 20);
        root.put("clean_up_tokenization_spaces", false);
        return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }
}
