package org.llasalab.verify;

import java.util.List;

/**
 * Scores candidates: a speech-understanding model used to guide search or to evaluate. Thread-safe.
 * Implementations live in the {@code verifiers} module and are created through {@link VerifierProvider}.
 */
public interface Verifier extends AutoCloseable {
    enum Direction { HIGHER_IS_BETTER, LOWER_IS_BETTER }

    /** The metric's name in result tables ({@code wer}, {@code sim}, {@code emotion}, ...). */
    String metric();

    Direction direction();

    /** Smallest possible score (may be negative infinity). */
    double min();

    /** Largest possible score (may be positive infinity, e.g. WER above 1). */
    double max();

    /** One score per candidate, in order. */
    List<Score> score(List<Candidate> batch);

    /** True when {@code a} is a better score than {@code b} under this verifier's direction. */
    default boolean better(double a, double b) {
        return direction() == Direction.HIGHER_IS_BETTER ? a > b : a < b;
    }

    @Override
    default void close() {}
}
