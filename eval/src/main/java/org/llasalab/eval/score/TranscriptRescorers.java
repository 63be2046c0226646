package org.llasalab.eval.score;

import java.util.List;
import org.llasalab.verifiers.wer.EditCounts;
import org.llasalab.verifiers.wer.ErrorRate;
import org.llasalab.verifiers.wer.TextNormalizer;

/**
 * The transcript rescorers a report adds by default: {@code english}, the word error rate under the
 * verifiers' {@code english} normaliser (numbers, abbreviations and contractions spelled out), next
 * to the protocol-exact {@code seed-tts-eval} figure. They apply to word-level ({@code wer}) columns.
 */
public final class TranscriptRescorers {
    private TranscriptRescorers() {}

    public static List<TranscriptRescorer> available() {
        return List.of(wordErrorRate("english"));
    }

    /** WER after normalising reference and transcript with the verifiers' normaliser {@code name}. */
    public static TranscriptRescorer wordErrorRate(String normalizerName) {
        TextNormalizer normalizer = TextNormalizer.byName(normalizerName);
        return new TranscriptRescorer() {
            @Override
            public String name() {
                return normalizer.name();
            }

            @Override
            public Edits rescore(String reference, String transcript) {
                EditCounts c = ErrorRate.wer(normalizer.normalize(reference), normalizer.normalize(transcript));
                return new Edits(c.edits(), c.referenceLength());
            }
        };
    }
}
