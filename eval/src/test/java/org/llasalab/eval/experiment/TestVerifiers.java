package org.llasalab.eval.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.VerifierProvider;

/** Cheap, real verifiers for the runner tests: RMS level, duration, prompt length, target emotion. */
public final class TestVerifiers {
    private TestVerifiers() {}

    /** A verifier that scores each candidate on its own (range 0 to infinity). */
    record PerCandidate(String metric, Direction direction, java.util.function.Function<Candidate, Score> f)
            implements Verifier {
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
            return batch.stream().map(f).toList();
        }
    }

    /** A verifier of the audio alone. */
    static Verifier simple(String metric, Verifier.Direction direction, java.util.function.ToDoubleFunction<float[]> f) {
        return new PerCandidate(metric, direction, c -> Score.of(f.applyAsDouble(c.audio())));
    }

    public static final class Level implements VerifierProvider {
        @Override
        public String type() {
            return "test-level";
        }

        @Override
        public String description() {
            return "RMS level of the audio (tests only)";
        }

        @Override
        public Verifier create(Map<String, Object> params, Path baseDir) {
            return simple("level", Verifier.Direction.HIGHER_IS_BETTER, a -> {
                double s = 0;
                for (float v : a) s += v * v;
                return a.length == 0 ? 0 : Math.sqrt(s / a.length);
            });
        }
    }

    public static final class Length implements VerifierProvider {
        /** The score revision this type reports: a test sets it to stand for an update that changes scores. */
        static volatile String revision = "1";

        @Override
        public String type() {
            return "test-length";
        }

        @Override
        public String version(Map<String, Object> params) {
            return revision;
        }

        @Override
        public String description() {
            return "seconds of audio (tests only)";
        }

        @Override
        public Verifier create(Map<String, Object> params, Path baseDir) {
            return simple("length", Verifier.Direction.LOWER_IS_BETTER, a -> a.length / (double) Candidate.SAMPLE_RATE);
        }
    }

    /**
     * The RMS level like {@code test-level}, but it throws on every candidate whose target text contains
     * the parameter {@code text} while {@link #failing} is set: a verifier that breaks on one utterance.
     */
    public static final class FailsOn implements VerifierProvider {
        static volatile boolean failing = true;

        @Override
        public String type() {
            return "test-fails-on";
        }

        @Override
        public String description() {
            return "RMS level; throws on target texts containing the parameter 'text' (tests only)";
        }

        @Override
        public Verifier create(Map<String, Object> params, Path baseDir) {
            String text = String.valueOf(params.get("text"));
            Verifier level = new Level().create(params, baseDir);
            return new PerCandidate("level", Verifier.Direction.HIGHER_IS_BETTER, c -> {
                if (failing && c.targetText().contains(text)) {
                    throw new IllegalStateException("test-fails-on: cannot score '" + c.targetText() + "'");
                }
                return level.score(List.of(c)).getFirst();
            });
        }
    }

    /** Seconds of the speaker reference (the prompt audio) a candidate is judged against; 0 without one. */
    public static final class PromptSeconds implements VerifierProvider {
        @Override
        public String type() {
            return "test-prompt-seconds";
        }

        @Override
        public String description() {
            return "seconds of the candidate's prompt audio (tests only)";
        }

        @Override
        public Verifier create(Map<String, Object> params, Path baseDir) {
            return new PerCandidate("prompt_seconds", Verifier.Direction.HIGHER_IS_BETTER, c -> Score.of(
                    c.promptAudio() == null ? 0 : c.promptAudio().length / (double) Candidate.SAMPLE_RATE));
        }
    }

    /**
     * Reports the target emotion each candidate carries (its length as the score, 0 for none; the label
     * in the details) and records every one it is shown in {@link #SEEN}.
     */
    public static final class TargetEmotion implements VerifierProvider {
        public static final List<String> SEEN = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        @Override
        public String type() {
            return "test-target-emotion";
        }

        @Override
        public String description() {
            return "the target emotion a candidate is judged against (tests only)";
        }

        @Override
        public Verifier create(Map<String, Object> params, Path baseDir) {
            return new PerCandidate("target_emotion", Verifier.Direction.HIGHER_IS_BETTER, c -> {
                SEEN.add(String.valueOf(c.targetEmotion()));
                return new Score(c.targetEmotion() == null ? 0 : c.targetEmotion().length(),
                        Map.of("target", String.valueOf(c.targetEmotion())));
            });
        }
    }
}
