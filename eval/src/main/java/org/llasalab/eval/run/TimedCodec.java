package org.llasalab.eval.run;

import org.llasalab.codec.SpeechCodec;
import org.llasalab.eval.run.RunClock.Component;

/** A codec whose encode and decode calls count as {@link Component#CODEC} on a {@link RunClock}. */
final class TimedCodec implements SpeechCodec {
    private final SpeechCodec codec;
    private final RunClock clock;

    TimedCodec(SpeechCodec codec, RunClock clock) {
        this.codec = codec;
        this.clock = clock;
    }

    @Override
    public String name() {
        return codec.name();
    }

    @Override
    public int sampleRate() {
        return codec.sampleRate();
    }

    @Override
    public double frameRate() {
        return codec.frameRate();
    }

    @Override
    public int codebookSize() {
        return codec.codebookSize();
    }

    @Override
    public int hopLength() {
        return codec.hopLength();
    }

    @Override
    public boolean canEncode() {
        return codec.canEncode();
    }

    @Override
    public int[][] encode(float[][] audio) {
        return clock.time(Component.CODEC, () -> codec.encode(audio));
    }

    @Override
    public float[][] decode(int[][] codes) {
        return clock.time(Component.CODEC, () -> codec.decode(codes));
    }

    @Override
    public void close() {
        codec.close();
    }
}
