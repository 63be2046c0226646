package org.llasalab.search;

import java.util.BitSet;
import java.util.random.RandomGenerator;
import org.llasalab.lm.SamplingParams;

/**
 * Draws the next token among the speech tokens and the end marker only (a speech-token mask), with
 * repetition penalty, temperature, top-k, min-p and top-p, and reports the drawn token's
 * log-probability under the raw model distribution (temperature 1, full vocabulary).
 */
final class SpeechSampler {
    record Draw(int token, double rawLogProb) {}

    private final SpeechTokens speech;
    private final SamplingParams params;
    private final double[] scores;
    private final int[] order;

    SpeechSampler(SpeechTokens speech, SamplingParams params) {
        this.speech = speech;
        this.params = params;
        this.scores = new double[speech.codebookSize() + 1];
        this.order = new int[scores.length];
    }

    /** {@code seen}: ids already in the sequence, for the repetition penalty (may be null). */
    Draw draw(float[] logits, BitSet seen, RandomGenerator rng) {
        int k = speech.codebookSize();
        int off = speech.offset();
        if (logits.length < off + k || logits.length <= speech.endId()) {
            throw new IllegalStateException("logits of length " + logits.length
                    + " do not cover the speech tokens " + off + ".." + (off + k - 1) + " and end id " + speech.endId());
        }
        for (int c = 0; c < k; c++) scores[c] = logits[off + c];
        scores[k] = logits[speech.endId()];
        double rp = params.repetitionPenalty();
        if (rp != 1 && seen != null) {
            for (int c = 0; c <= k; c++) {
                if (seen.get(idOf(c))) scores[c] = scores[c] > 0 ? scores[c] / rp : scores[c] * rp;
            }
        }
        int choice = params.greedy() ? argmax() : sample(rng);
        int token = idOf(choice);
        return new Draw(token, logits[token] - logSumExp(logits));
    }

    private int idOf(int c) {
        return c == speech.codebookSize() ? speech.endId() : speech.offset() + c;
    }

    private int argmax() {
        int best = 0;
        for (int c = 1; c < scores.length; c++) if (scores[c] > scores[best]) best = c;
        return best;
    }

    private int sample(RandomGenerator rng) {
        int n = scores.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            scores[c] /= params.temperature();
            max = Math.max(max, scores[c]);
        }
        for (int c = 0; c < n; c++) scores[c] = Math.exp(scores[c] - max); // unnormalised probabilities
        boolean needOrder = params.topK() > 0 && params.topK() < n || params.topP() < 1;
        int kept = n;
        if (needOrder) {
            sortByScoreDescending();
            if (params.topK() > 0) kept = Math.min(kept, params.topK());
        }
        if (params.minP() > 0) {
            double floor = params.minP(); // max prob is exp(0) = 1 before normalisation
            for (int c = 0; c < n; c++) if (scores[c] < floor) scores[c] = 0;
        }
        if (needOrder) {
            for (int i = kept; i < n; i++) scores[order[i]] = 0;
            if (params.topP() < 1) {
                double total = 0;
                for (int i = 0; i < kept; i++) total += scores[order[i]];
                double cum = 0;
                int i = 0;
                for (; i < kept; i++) {
                    cum += scores[order[i]];
                    if (cum >= params.topP() * total) { i++; break; }
                }
                for (int j = i; j < kept; j++) scores[order[j]] = 0;
            }
        }
        double total = 0;
        for (int c = 0; c < n; c++) total += scores[c];
        double u = rng.nextDouble() * total;
        int last = 0;
        for (int c = 0; c < n; c++) {
            if (scores[c] > 0) {
                last = c;
                u -= scores[c];
                if (u < 0) return c;
            }
        }
        return last;
    }

    private void sortByScoreDescending() {
        Integer[] boxed = new Integer[scores.length];
        for (int i = 0; i < boxed.length; i++) boxed[i] = i;
        java.util.Arrays.sort(boxed, (a, b) -> Double.compare(scores[b], scores[a]));
        for (int i = 0; i < boxed.length; i++) order[i] = boxed[i];
    }

    private static double logSumExp(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double sum = 0;
        for (float v : logits) sum += Math.exp(v - max);
        return max + Math.log(sum);
    }
}
