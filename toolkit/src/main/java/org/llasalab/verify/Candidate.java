package org.llasalab.verify;

/**
 * One thing to score: a candidate's audio (mono 16 kHz) with what it should say and whom it should
 * sound like. {@code promptAudio}, {@code promptText} and {@code targetEmotion} may be null.
 */
public record Candidate(float[] audio, String targetText, float[] promptAudio, String promptText, String targetEmotion) {
    public static final int SAMPLE_RATE = 16_000;

    public static Candidate of(float[] audio, String targetText) {
        return new Candidate(audio, targetText, null, null, null);
    }
}
