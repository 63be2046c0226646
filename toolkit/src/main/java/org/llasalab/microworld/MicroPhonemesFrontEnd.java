package org.llasalab.microworld;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.llasalab.lm.prompt.TextFrontEndProvider;

/**
 * The {@code micro-phonemes} text front end of micro-world models: texts become the
 * {@link MicroTextFrontEnd}'s phoneme symbols, joined by {@code symbols_joined_by} (default a space).
 * The model folder's own lexicon is used when it has one, else the shipped one. Registered in
 * {@code META-INF/services} for {@link org.llasalab.lm.prompt.TextFrontEnds}.
 */
public final class MicroPhonemesFrontEnd implements TextFrontEndProvider {
    @Override
    public String type() {
        return "micro-phonemes";
    }

    @Override
    public UnaryOperator<String> open(Path modelDir, JsonNode settings) throws IOException {
        MicroTextFrontEnd phonemes = Files.isRegularFile(modelDir.resolve(MicroTextFrontEnd.LEXICON_FILE))
                ? MicroTextFrontEnd.load(modelDir) : MicroTextFrontEnd.shipped();
        String joiner = settings.path("symbols_joined_by").asText(" ");
        return text -> String.join(joiner, phonemes.phonemes(text));
    }
}
