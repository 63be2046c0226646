package org.llasalab.verifiers.emotion;

import java.util.List;

/** Emotion recognition: class probabilities of mono 16 kHz audio over fixed labels. Thread-safe. */
public interface EmotionClassifier extends AutoCloseable {
    List<String> labels();

    /** Probabilities, one per label, summing to 1. */
    double[] probabilities(float[] audio16k);

    @Override
    default void close() {}
}
