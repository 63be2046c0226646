package org.llasalab.lm.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.llasalab.microworld.MicroTextFrontEnd;

/**
 * The text front end a model folder asks for in {@code llasa_frontend.json}: none for real Llasa
 * checkpoints (their tokenizer reads text), the micro world's phonemiser for micro-world models.
 */
public final class TextFrontEnds {
    public static final String FILE = "llasa_frontend.json";

    private TextFrontEnds() {}

    /** The front end named by {@code modelDir/llasa_frontend.json}, or null when texts go to the tokenizer as they are. */
    public static UnaryOperator<String> forModel(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return null;
        JsonNode fe;
        try {
            fe = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": malformed JSON: " + e.getMessage(), e);
        }
        String type = fe.path("type").asText("");
        switch (type) {
            case "", "text" -> {
                return null;
            }
            case "micro-phonemes" -> {
                MicroTextFrontEnd phonemes = Files.isRegularFile(modelDir.resolve(MicroTextFrontEnd.LEXICON_FILE))
                        ? MicroTextFrontEnd.load(modelDir) : MicroTextFrontEnd.shipped();
                String joiner = fe.path("symbols_joined_by").asText(" ");
                return text -> String.join(joiner, phonemes.phonemes(text));
            }
            default -> throw new IOException(file + ": unknown text front end type '" + type
                    + "' (known: text, micro-phonemes)");
        }
    }

    /** A prompt builder for a model folder's tokenizer, template and text front end. */
    public static LlasaPrompt promptFor(Path modelDir, LlasaTokenizer tokenizer, PromptTemplate template) throws IOException {
        LlasaPrompt.Builder builder = LlasaPrompt.builder(tokenizer);
        if (template != null) builder.template(template);
        UnaryOperator<String> frontEnd = forModel(modelDir);
        if (frontEnd != null) builder.frontEnd(frontEnd);
        return builder.build();
    }
}
