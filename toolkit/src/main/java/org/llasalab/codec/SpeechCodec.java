package org.llasalab.codec;

/**
 * A single-codebook speech codec: audio at {@link #sampleRate()} to one code per frame at
 * {@link #frameRate()} frames per second, and back. X-codec2 and the micro codec implement it.
 * Batched: each row of a batch is one utterance; rows may differ in length.
 */
public interface SpeechCodec extends AutoCloseable {
    /** A short name for reports, e.g. {@code xcodec2} or {@code micro}. */
    String name();

    /** Audio sample rate in Hz (16000 for every codec of this project). */
    int sampleRate();

    /** Codes per second of audio (50 for X-codec2). */
    double frameRate();

    /** Number of distinct codes K; codes are 0..K-1. */
    int codebookSize();

    /** Samples of audio per code. */
    default int hopLength() {
        return (int) Math.round(sampleRate() / frameRate());
    }

    /** Whether {@link #encode(float[][])} is available (the X-codec2 encoder may not be). */
    boolean canEncode();

    /** Audio (mono, at {@link #sampleRate()}) to codes, one row per utterance. */
    int[][] encode(float[][] audio);

    /** Codes to audio (mono, at {@link #sampleRate()}), one row per utterance. */
    float[][] decode(int[][] codes);

    default int[] encode(float[] audio) {
        return encode(new float[][] {audio})[0];
    }

    default float[] decode(int[] codes) {
        return decode(new int[][] {codes})[0];
    }

    @Override
    default void close() {}
}
