package org.llasalab.lm.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A kind of text front end a model folder can ask for by {@code type} in {@code llasa_frontend.json}.
 * Providers are found with {@link java.util.ServiceLoader} ({@code META-INF/services}), so that the
 * prompt layer does not depend on the packages that implement them (the micro world's phonemiser).
 */
public interface TextFrontEndProvider {
    /** The {@code type} value in {@code llasa_frontend.json} this provider handles. */
    String type();

    /**
     * The front end for {@code modelDir}: text in, what the tokenizer reads out.
     *
     * @param settings the whole {@code llasa_frontend.json} document, for the provider's own keys
     */
    UnaryOperator<String> open(Path modelDir, JsonNode settings) throws IOException;
}
