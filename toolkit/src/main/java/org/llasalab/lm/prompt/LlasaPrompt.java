package org.llasalab.lm.prompt;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Builds the token ids Llasa continues: the chat prompt of {@link PromptTemplate} around the text, the
 * assistant turn left open after {@code <|SPEECH_GENERATION_START|>} and, for voice cloning, the prompt
 * audio's speech tokens. For cloning the spoken text is the prompt transcript followed by the target text.
 * An optional text front end (e.g. the micro world's phonemiser) is applied to each text first.
 */
public final class LlasaPrompt {
    private final LlasaTokenizer tokenizer;
    private final PromptTemplate template;
    private final UnaryOperator<String> frontEnd;

    private LlasaPrompt(LlasaTokenizer tokenizer, PromptTemplate template, UnaryOperator<String> frontEnd) {
        this.tokenizer = tokenizer;
        this.template = template;
        this.frontEnd = frontEnd;
    }

    public static Builder builder(LlasaTokenizer tokenizer) {
        return new Builder(tokenizer);
    }

    public static final class Builder {
        private final LlasaTokenizer tokenizer;
        private PromptTemplate template = PromptTemplate.DEFAULT;
        private UnaryOperator<String> frontEnd = UnaryOperator.identity();

        private Builder(LlasaTokenizer tokenizer) {
            this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        }

        public Builder template(PromptTemplate template) {
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        /** A text front end applied to every text before tokenisation (identity by default). */
        public Builder frontEnd(UnaryOperator<String> frontEnd) {
            this.frontEnd = Objects.requireNonNull(frontEnd, "frontEnd");
            return this;
        }

        public LlasaPrompt build() {
            return new LlasaPrompt(tokenizer, template, frontEnd);
        }
    }

    public LlasaTokenizer tokenizer() {
        return tokenizer;
    }

    public PromptTemplate template() {
        return template;
    }

    /** Zero-shot prompt ids for {@code text}. */
    public int[] ids(String text) {
        return build(spokenText(null, text), new int[0]);
    }

    /**
     * Voice-cloning prompt ids: the text is {@code promptText} then {@code text}; the assistant turn
     * starts with the prompt's codec codes as speech tokens.
     */
    public int[] ids(String promptText, int[] promptCodes, String text) {
        return build(spokenText(promptText, text), tokenizer.toIds(promptCodes));
    }

    /** The prompt as text (speech tokens written as {@code <|s_N|>}), for logs and debugging. */
    public String render(String promptText, int[] promptCodes, String text) {
        StringBuilder speech = new StringBuilder();
        for (int c : promptCodes == null ? new int[0] : promptCodes) speech.append(LlasaTokenizer.speechToken(c));
        String format = template.format();
        int at = format.indexOf("{speech}");
        String spoken = spokenText(promptText, text);
        return fill(format.substring(0, at), spoken) + speech + fill(format.substring(at + "{speech}".length()), spoken);
    }

    /**
     * The text inside the markers: the front end applied to each part; a space joins transcript and
     * target when neither side brings whitespace (the reference simply concatenates the two strings).
     */
    String spokenText(String promptText, String text) {
        Objects.requireNonNull(text, "text");
        String target = frontEnd.apply(text);
        if (promptText == null || promptText.isEmpty()) {
            return target;
        }
        String prefix = frontEnd.apply(promptText);
        boolean needsSpace = !prefix.isEmpty() && !target.isEmpty()
                && !Character.isWhitespace(prefix.charAt(prefix.length() - 1)) && !Character.isWhitespace(target.charAt(0));
        return needsSpace ? prefix + " " + target : prefix + target;
    }

    /** Fills {@code {system}} and {@code {text}} of a part of the format (the text last, so it is never rescanned). */
    private String fill(String part, String spoken) {
        return part.replace("{system}", template.systemTurn()).replace("{text}", spoken);
    }

    private int[] build(String spoken, int[] speechIds) {
        String format = template.format();
        int at = format.indexOf("{speech}");
        int[] before = tokenizer.encode(fill(format.substring(0, at), spoken));
        String rest = fill(format.substring(at + "{speech}".length()), spoken);
        int[] after = rest.isEmpty() ? new int[0] : tokenizer.encode(rest);
        int[] ids = Arrays.copyOf(before, before.length + speechIds.length + after.length);
        System.arraycopy(speechIds, 0, ids, before.length, speechIds.length);
        System.arraycopy(after, 0, ids, before.length + speechIds.length, after.length);
        return ids;
    }
}
