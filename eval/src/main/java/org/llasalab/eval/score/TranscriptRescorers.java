package org.llasalab.eval.score;

import java.util.List;

/** The transcript rescorers a report adds by default. */
public final class TranscriptRescorers {
    private TranscriptRescorers() {}

    public static List<TranscriptRescorer> available() {
        return List.of();
    }
}
