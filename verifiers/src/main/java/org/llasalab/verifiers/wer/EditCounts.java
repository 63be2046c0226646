package org.llasalab.verifiers.wer;

/**
 * The result of aligning a hypothesis to a reference: substitutions, deletions and insertions, and the
 * reference length (in words or characters).
 */
public record EditCounts(int substitutions, int deletions, int insertions, int referenceLength) {
    public EditCounts {
        if (substitutions < 0 || deletions < 0 || insertions < 0 || referenceLength < 0) {
            throw new IllegalArgumentException("negative edit count");
        }
    }

    public int edits() {
        return substitutions + deletions + insertions;
    }

    public int hits() {
        return referenceLength - substitutions - deletions;
    }

    /**
     * Edits per reference unit. An empty reference has no denominator: the rate is then the number of
     * inserted units (0 when the hypothesis is empty too), so an utterance that should be silent but is
     * not counts as at least one full error.
     */
    public double rate() {
        return edits() / (double) Math.max(1, referenceLength);
    }
}
