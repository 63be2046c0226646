package org.llasalab.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * Turns codes into audio with the codec and audio into scores with a verifier, batched, counting the
 * codec seconds, verifier calls and verifier seconds it spends.
 */
final class Judge {
    private final SpeechCodec codec;
    double codecSeconds;
    long verifierCalls;
    double verifierSeconds;
    double wallSeconds;

    Judge(SpeechCodec codec) {
        this.codec = codec;
    }

    /** Audio for each row of codes (one batched codec call; empty rows give empty audio). */
    float[][] decode(List<int[]> codes) {
        long t0 = System.nanoTime();
        float[][] out = new float[codes.size()][];
        List<Integer> nonEmpty = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            if (codes.get(i).length == 0) out[i] = new float[0];
            else nonEmpty.add(i);
        }
        if (!nonEmpty.isEmpty()) {
            int[][] rows = new int[nonEmpty.size()][];
            for (int j = 0; j < rows.length; j++) rows[j] = codes.get(nonEmpty.get(j));
            float[][] audio = codec.decode(rows);
            for (int j = 0; j < rows.length; j++) {
                out[nonEmpty.get(j)] = audio[j];
                codecSeconds += audio[j].length / (double) codec.sampleRate();
            }
        }
        wallSeconds += (System.nanoTime() - t0) / 1e9;
        return out;
    }

    /** Scores each audio as the request's candidate (its text, prompt audio and emotion). */
    List<Score> score(Verifier verifier, Candidate context, List<float[]> audio) {
        if (audio.isEmpty()) return List.of();
        List<Candidate> batch = new ArrayList<>(audio.size());
        for (float[] a : audio) {
            batch.add(context == null ? Candidate.of(a, null)
                    : new Candidate(a, context.targetText(), context.promptAudio(), context.promptText(),
                            context.targetEmotion()));
        }
        long t0 = System.nanoTime();
        List<Score> scores = verifier.score(batch);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (scores.size() != batch.size()) {
            throw new IllegalStateException("verifier " + verifier.metric() + " returned " + scores.size()
                    + " scores for " + batch.size() + " candidates");
        }
        verifierSeconds += seconds;
        wallSeconds += seconds;
        verifierCalls += batch.size();
        return scores;
    }

    ComputeLedger ledger() {
        return new ComputeLedger(0, 0, 0, codecSeconds, verifierCalls, verifierSeconds, 0);
    }

    /**
     * Orders by {@code metric} under the verifier's direction, best first; NaN scores last; ties keep
     * the given order.
     */
    static <T> Comparator<T> bestFirst(Verifier verifier, java.util.function.ToDoubleFunction<T> score) {
        return (a, b) -> {
            double x = score.applyAsDouble(a);
            double y = score.applyAsDouble(b);
            if (Double.isNaN(x) || Double.isNaN(y)) return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
            if (verifier.better(x, y)) return -1;
            if (verifier.better(y, x)) return 1;
            return 0;
        };
    }

    /**
     * The final pick: the best finished candidate by {@code verifier}; the best unfinished one only
     * when none finished. Without a verifier, the first candidate.
     */
    static ScoredCandidate pick(List<ScoredCandidate> candidates, Verifier verifier) {
        if (candidates.isEmpty()) throw new IllegalStateException("no candidates to pick from");
        boolean anyFinished = candidates.stream().anyMatch(ScoredCandidate::finished);
        List<ScoredCandidate> pool = candidates.stream().filter(c -> c.finished() || !anyFinished).toList();
        if (verifier == null) return pool.get(0);
        String metric = verifier.metric();
        return pool.stream().min(bestFirst(verifier, (ScoredCandidate c) -> c.score(metric))).orElseThrow();
    }
}
