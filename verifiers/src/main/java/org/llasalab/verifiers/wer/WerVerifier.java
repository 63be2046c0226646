package org.llasalab.verifiers.wer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * Word (or character) error rate of an ASR transcript against the candidate's target text, both
 * normalised the same way. Lower is better; 0 is a perfect transcript, values above 1 are possible.
 * Details: {@code transcript} (raw ASR output), {@code reference} and {@code hypothesis} (normalised),
 * {@code substitutions}, {@code deletions}, {@code insertions}, {@code reference_length}.
 */
public final class WerVerifier implements Verifier {
    /** What the error rate counts. */
    public enum Unit { WORD, CHARACTER }

    private final AsrBackend asr;
    private final TextNormalizer normalizer;
    private final Unit unit;

    public WerVerifier(AsrBackend asr, TextNormalizer normalizer, Unit unit) {
        this.asr = asr;
        this.normalizer = normalizer;
        this.unit = unit;
    }

    @Override
    public String metric() {
        return unit == Unit.WORD ? "wer" : "cer";
    }

    @Override
    public Direction direction() {
        return Direction.LOWER_IS_BETTER;
    }

    @Override
    public double min() {
        return 0;
    }

    @Override
    public double max() {
        return Double.POSITIVE_INFINITY;
    }

    @Override
    public List<Score> score(List<Candidate> batch) {
        List<float[]> audio = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Candidate c = batch.get(i);
            if (c.targetText() == null) {
                throw new IllegalArgumentException(metric() + ": candidate " + i + " has no target text");
            }
            audio.add(c.audio());
        }
        List<String> transcripts = asr.transcribe(audio);
        if (transcripts.size() != batch.size()) {
            throw new IllegalStateException("ASR back-end returned " + transcripts.size() + " transcripts for "
                    + batch.size() + " inputs");
        }
        List<Score> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(compare(batch.get(i).targetText(), transcripts.get(i)));
        }
        return out;
    }

    /** Scores a transcript against a reference without running ASR. */
    public Score compare(String referenceText, String transcript) {
        String ref = normalizer.normalize(referenceText);
        String hyp = normalizer.normalize(transcript);
        EditCounts counts = unit == Unit.WORD ? ErrorRate.wer(ref, hyp) : ErrorRate.cer(ref, hyp);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("transcript", transcript);
        details.put("reference", ref);
        details.put("hypothesis", hyp);
        details.put("substitutions", counts.substitutions());
        details.put("deletions", counts.deletions());
        details.put("insertions", counts.insertions());
        details.put("reference_length", counts.referenceLength());
        details.put("normalizer", normalizer.name());
        return new Score(counts.rate(), details);
    }

    /** The edit counts recorded in a score's details (to feed a {@link WerAggregate}). */
    public static EditCounts counts(Score score) {
        Map<String, Object> d = score.details();
        return new EditCounts(((Number) d.get("substitutions")).intValue(), ((Number) d.get("deletions")).intValue(),
                ((Number) d.get("insertions")).intValue(), ((Number) d.get("reference_length")).intValue());
    }

    @Override
    public void close() {
        try {
            asr.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing ASR back-end: " + e.getMessage(), e);
        }
    }
}
