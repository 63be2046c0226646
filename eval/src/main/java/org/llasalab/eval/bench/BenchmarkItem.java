package org.llasalab.eval.bench;

import java.nio.file.Path;

/**
 * One test utterance in the seed-tts-eval sense: synthesise {@code targetText} in the voice of
 * {@code promptWav} (whose transcript is {@code promptText}). {@code groundTruthWav} may be null.
 */
public record BenchmarkItem(String id, String promptText, Path promptWav, String targetText, Path groundTruthWav) {}
