package org.llasalab.lm.prompt;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llasalab.lm.SpeechTokens;

/**
 * The text tokenizer of a Llasa model: a Hugging Face {@code tokenizer.json} (Llama-3 BPE plus the
 * eight Llasa markers and the speech tokens {@code <|s_0|>} .. {@code <|s_K-1|>}). Special-token ids
 * are looked up in the tokenizer itself, never assumed.
 */
public final class LlasaTokenizer implements AutoCloseable {
    /** The eight Llasa markers, in their vocabulary order. */
    public static final List<String> MARKERS = List.of(
            "<|TEXT_GENERATION_START|>", "<|TEXT_GENERATION_END|>",
            "<|TEXT_UNDERSTANDING_START|>", "<|TEXT_UNDERSTANDING_END|>",
            "<|SPEECH_GENERATION_START|>", "<|SPEECH_GENERATION_END|>",
            "<|SPEECH_UNDERSTANDING_START|>", "<|SPEECH_UNDERSTANDING_END|>");

    public static final String SPEECH_END = "<|SPEECH_GENERATION_END|>";

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final SpeechTokens speechTokens;

    private LlasaTokenizer(Path file, HuggingFaceTokenizer tokenizer) {
        this.file = file;
        this.tokenizer = tokenizer;
        for (String marker : MARKERS) {
            requireToken(marker);
        }
        int offset = requireToken(speechToken(0));
        this.speechTokens = new SpeechTokens(offset, countSpeechTokens(offset), requireToken(SPEECH_END));
    }

    /**
     * Opens {@code tokenizer.json}, or the one inside the folder {@code path}.
     *
     * @throws IOException naming the file: missing, not a Hugging Face tokenizer, or one without the Llasa
     *     markers and speech tokens
     */
    public static LlasaTokenizer open(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no tokenizer.json");
        }
        // the native tokenizers library aborts the JVM on some malformed JSON instead of failing: check it here first
        try {
            if (!new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(file)).isObject()) {
                throw new IOException(file + ": not a Hugging Face tokenizer.json (the top level is no JSON object)");
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text (" + e.getMessage() + ")");
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not valid JSON: " + org.llasalab.io.Printable.of(e.getOriginalMessage())
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        }
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false",
                    "modelMaxLength", String.valueOf(Integer.MAX_VALUE)));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a valid Hugging Face tokenizer.json: " + e.getMessage(), e);
        }
        try {
            return new LlasaTokenizer(file, tokenizer);
        } catch (RuntimeException e) {
            tokenizer.close();
            // a parsed tokenizer that is no Llasa tokenizer (a marker or the speech tokens missing)
            String m = e.getMessage();
            throw new IOException(m != null && m.startsWith(file.toString()) ? m : file + ": " + m, e);
        }
    }

    public static String speechToken(int code) {
        return "<|s_" + code + "|>";
    }

    public Path file() {
        return file;
    }

    /** Where the speech tokens live: offset = id of {@code <|s_0|>}, end = id of {@code <|SPEECH_GENERATION_END|>}. */
    public SpeechTokens speechTokens() {
        return speechTokens;
    }

    /** Token ids of {@code text}, special tokens in the text recognised, none added around it. */
    public int[] encode(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        long[] ids = encoding.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) longs[i] = ids[i];
        return tokenizer.decode(longs, false);
    }

    /** The id of a single token, or -1 when the tokenizer does not hold it as one token. */
    public int tokenId(String token) {
        Encoding encoding = tokenizer.encode(token, false, false);
        String[] tokens = encoding.getTokens();
        if (tokens.length != 1 || !tokens[0].equals(token)) {
            return -1;
        }
        return Math.toIntExact(encoding.getIds()[0]);
    }

    /** The id of {@code token}; throws naming the tokenizer file when it is missing. */
    public int requireToken(String token) {
        int id = tokenId(token);
        if (id < 0) {
            throw new IllegalArgumentException(file + ": the tokenizer has no token " + token
                    + " (a Llasa tokenizer needs the Llama-3 specials, the eight Llasa markers and <|s_0|>..)");
        }
        return id;
    }

    /** Speech ids (LM vocabulary) to codec codes; throws on an id that is not a speech token. */
    public int[] toCodes(int[] speechIds) {
        int[] codes = new int[speechIds.length];
        for (int i = 0; i < speechIds.length; i++) {
            if (!speechTokens.isSpeech(speechIds[i])) {
                throw new IllegalArgumentException("id " + speechIds[i] + " at position " + i + " is not a speech token ("
                        + speechTokens.offset() + ".." + (speechTokens.offset() + speechTokens.codebookSize() - 1) + ")");
            }
            codes[i] = speechIds[i] - speechTokens.offset();
        }
        return codes;
    }

    /** Codec codes to speech ids; throws on a code outside the speech vocabulary. */
    public int[] toIds(int[] codes) {
        int[] ids = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] >= speechTokens.codebookSize()) {
                throw new IllegalArgumentException("speech code " + codes[i] + " at position " + i
                        + " is outside 0.." + (speechTokens.codebookSize() - 1));
            }
            ids[i] = speechTokens.offset() + codes[i];
        }
        return ids;
    }

    /**
     * The number K of contiguous speech tokens {@code <|s_0|>}..{@code <|s_K-1|>} with ids offset..offset+K-1,
     * found by bisection (the tokens are added in order).
     */
    private int countSpeechTokens(int offset) {
        int lo = 1; // <|s_0|> exists
        int hi = 1;
        while (hi < (1 << 24) && isSpeechAt(hi, offset)) {
            lo = hi + 1;
            hi *= 2;
        }
        // invariant: codes < lo exist, code hi does not
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (isSpeechAt(mid, offset)) lo = mid + 1;
            else hi = mid;
        }
        List<Integer> holes = new ArrayList<>();
        for (int probe : new int[] {lo / 2, lo - 1}) {
            if (!isSpeechAt(probe, offset)) holes.add(probe);
        }
        if (!holes.isEmpty()) {
            throw new IllegalArgumentException(file + ": speech tokens are not contiguous from <|s_0|> (id " + offset
                    + "): missing or misplaced " + holes);
        }
        return lo;
    }

    private boolean isSpeechAt(int code, int offset) {
        return tokenId(speechToken(code)) == offset + code;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
