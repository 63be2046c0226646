package org.llasalab.verify;

import java.util.Map;

/** A verifier's score of one candidate, with details such as the ASR transcript. */
public record Score(double value, Map<String, Object> details) {
    public Score {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static Score of(double value) {
        return new Score(value, Map.of());
    }
}
