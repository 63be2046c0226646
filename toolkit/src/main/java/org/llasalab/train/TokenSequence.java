package org.llasalab.train;

/**
 * One training sequence of token ids. Next-token targets at positions {@code >= lossFrom} count in the
 * loss (Llasa: the speech tokens and the end marker, everything after {@code <|SPEECH_GENERATION_START|>});
 * earlier targets are ignored.
 */
public record TokenSequence(int[] ids, int lossFrom) {
    public TokenSequence {
        if (ids.length < 2) throw new IllegalArgumentException("a training sequence needs >= 2 tokens, got " + ids.length);
        if (lossFrom < 1 || lossFrom >= ids.length) {
            throw new IllegalArgumentException("lossFrom " + lossFrom + " outside [1, " + (ids.length - 1) + "]");
        }
    }

    public int length() {
        return ids.length;
    }

    /** Number of targets counted in the loss. */
    public int lossTokens() {
        return ids.length - lossFrom;
    }
}
