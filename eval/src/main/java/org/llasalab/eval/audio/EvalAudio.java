package org.llasalab.eval.audio;

import java.io.IOException;
import java.nio.file.Path;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Resampler;
import org.llasalab.dsp.Wav;
import org.llasalab.verify.Candidate;

/**
 * Audio as the seed-tts-eval protocol scores it: mono at 16 kHz, full length. Any WAV that
 * {@link Wav} reads (PCM 8/16/24/32-bit, float 32/64, any channel count, any rate) is mixed to mono
 * and resampled with the toolkit's {@link Resampler} (Kaiser-windowed sinc, polyphase).
 */
public final class EvalAudio {
    public static final int RATE = Candidate.SAMPLE_RATE;

    private EvalAudio() {}

    /** Reads {@code file} as 16 kHz mono samples; a bad file throws an {@link IOException} naming it. */
    public static float[] load16k(Path file) throws IOException {
        Audio audio = Wav.read(file);
        return Resampler.resample(audio, RATE).samples();
    }
}
