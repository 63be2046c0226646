package org.llasalab.search;

import java.util.Map;
import org.llasalab.verify.Score;

/**
 * One complete (or cut-off) candidate of a search.
 *
 * @param index       the candidate's number within its request (best-of-N: its sample index, so that
 *                    budget k means candidates 0..k-1)
 * @param codes       codec codes (LM ids minus the speech offset), end marker excluded
 * @param audio       the decoded audio (mono, codec sample rate)
 * @param scores      scores by verifier metric name (every verifier that judged the whole candidate)
 * @param finished    whether the LM produced the end marker (false: cut off at max_tokens or by the search)
 * @param tokens      tokens generated, end marker included when finished
 * @param meanLogProb mean log-probability of the generated tokens under the model's raw distribution
 *                    (temperature 1, full vocabulary)
 */
public record ScoredCandidate(int index, int[] codes, float[] audio, Map<String, Score> scores,
                              boolean finished, int tokens, double meanLogProb) {
    public ScoredCandidate {
        scores = Map.copyOf(scores);
    }

    /** The score of {@code metric}; throws when that verifier did not score this candidate. */
    public double score(String metric) {
        Score s = scores.get(metric);
        if (s == null) {
            throw new IllegalArgumentException("candidate " + index + " has no '" + metric + "' score; it has "
                    + scores.keySet());
        }
        return s.value();
    }

    ScoredCandidate withScore(String metric, Score score) {
        var m = new java.util.HashMap<>(scores);
        m.put(metric, score);
        return new ScoredCandidate(index, codes, audio, m, finished, tokens, meanLogProb);
    }
}
