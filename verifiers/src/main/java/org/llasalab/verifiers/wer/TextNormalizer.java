package org.llasalab.verifiers.wer;

import java.util.List;

/** Maps reference and hypothesis text to the form in which words are compared. */
public interface TextNormalizer {
    String name();

    String normalize(String text);

    /** The normalisers by name: {@code seed-tts-eval} (protocol-exact) and {@code english}. */
    static TextNormalizer byName(String name) {
        return switch (name) {
            case SeedTtsNormalizer.NAME -> new SeedTtsNormalizer();
            case EnglishNormalizer.NAME -> new EnglishNormalizer();
            default -> throw new IllegalArgumentException("unknown normalizer '" + name + "'; known: "
                    + String.join(", ", names()));
        };
    }

    static List<String> names() {
        return List.of(SeedTtsNormalizer.NAME, EnglishNormalizer.NAME);
    }
}
