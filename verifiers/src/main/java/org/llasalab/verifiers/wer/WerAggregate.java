package org.llasalab.verifiers.wer;

/**
 * Accumulates per-utterance edit counts and reports both figures: the mean of per-utterance error
 * rates (what seed-tts-eval reports) and the corpus error rate (total edits / total reference units).
 * Not thread-safe.
 */
public final class WerAggregate {
    private long utterances;
    private double sumOfRates;
    private long substitutions;
    private long deletions;
    private long insertions;
    private long referenceLength;

    public WerAggregate add(EditCounts counts) {
        utterances++;
        sumOfRates += counts.rate();
        substitutions += counts.substitutions();
        deletions += counts.deletions();
        insertions += counts.insertions();
        referenceLength += counts.referenceLength();
        return this;
    }

    public long utterances() {
        return utterances;
    }

    /** Mean of per-utterance rates; NaN when nothing was added. */
    public double meanUtteranceRate() {
        return utterances == 0 ? Double.NaN : sumOfRates / utterances;
    }

    /** Total edits over total reference units; NaN when nothing was added. */
    public double corpusRate() {
        if (utterances == 0) return Double.NaN;
        return (substitutions + deletions + insertions) / (double) Math.max(1, referenceLength);
    }

    public long substitutions() {
        return substitutions;
    }

    public long deletions() {
        return deletions;
    }

    public long insertions() {
        return insertions;
    }

    public long referenceLength() {
        return referenceLength;
    }
}
