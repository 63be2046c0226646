package org.llasalab.eval.score;

/**
 * Re-scores an ASR transcript against its reference under another text normalisation (e.g. the
 * {@code english} normaliser that also spells out numbers), so a report can give the protocol-exact
 * figure and a normalised one from the same transcripts.
 */
public interface TranscriptRescorer {
    /** The suffix of the derived columns, e.g. {@code english} gives {@code wer_english}. */
    String name();

    /** Edits and reference length of {@code transcript} against {@code reference}. */
    Edits rescore(String reference, String transcript);

    /** Word (or character) edits against a reference of {@code referenceLength} units. */
    record Edits(long edits, long referenceLength) {
        /** Edits per reference unit; an empty reference counts each inserted unit as a full error. */
        public double rate() {
            return edits / (double) Math.max(1, referenceLength);
        }
    }
}
