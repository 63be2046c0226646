package org.llasalab.lm.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The text front end a model folder asks for in {@code llasa_frontend.json}: none for real Llasa
 * checkpoints (their tokenizer reads text), or one a {@link TextFrontEndProvider} on the class path
 * handles (the micro world's phonemiser, {@code micro-phonemes}, for micro-world models).
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
        if (type.isEmpty() || type.equals("text")) return null;
        Map<String, TextFrontEndProvider> providers = providers();
        TextFrontEndProvider provider = providers.get(type);
        if (provider == null) {
            throw new IOException(file + ": unknown text front end type '" + type + "' (known: text"
                    + (providers.isEmpty() ? "" : ", " + String.join(", ", providers.keySet())) + ")");
        }
        return provider.open(modelDir, fe);
    }

    /** The front ends on the class path, by type. */
    static Map<String, TextFrontEndProvider> providers() {
        Map<String, TextFrontEndProvider> byType = new TreeMap<>();
        for (TextFrontEndProvider p : ServiceLoader.load(TextFrontEndProvider.class)) byType.put(p.type(), p);
        return byType;
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
