package org.llasalab.codec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Resampler;
import org.llasalab.dsp.Wav;

/**
 * A voice prompt read for encoding: a WAV of any rate and channel count becomes mono audio at the codec's rate
 * (channels averaged by {@link Wav#read}; another rate resampled, which is said through {@code log}). A file
 * shorter than {@link #MIN_SECONDS} (an empty one included) is refused with its name and length: a fraction of a
 * second holds no voice to clone, and the encoder's per-utterance normalisation needs frames to normalise over.
 */
public final class PromptAudio {
    /** The shortest voice prompt accepted, in seconds. */
    public static final double MIN_SECONDS = 0.5;

    private PromptAudio() {}

    /** Reads {@code wav} as mono audio at {@code rate} Hz; problems name the file. */
    public static float[] read(Path wav, int rate, Consumer<String> log) throws IOException {
        Audio audio = Wav.read(wav);
        String tooShort = tooShort(wav, audio);
        if (tooShort != null) throw new IllegalArgumentException(tooShort);
        if (audio.sampleRate() != rate) {
            log.accept(wav + ": resampled from " + audio.sampleRate() + " Hz to " + rate + " Hz");
            audio = Resampler.resample(audio, rate);
        }
        return audio.samples();
    }

    /** Why {@code audio} (read from {@code wav}) is too short to be a voice prompt, or null when it is long enough. */
    public static String tooShort(Path wav, Audio audio) {
        if (audio.seconds() >= MIN_SECONDS) return null;
        return wav + ": " + (audio.samples().length == 0 ? "empty (0 samples)"
                : String.format("only %.3f s of audio (%d samples at %d Hz)", audio.seconds(), audio.samples().length,
                        audio.sampleRate())) + "; a voice prompt needs at least " + MIN_SECONDS + " s";
    }

    /** {@link #read} logging to standard error. */
    public static float[] read(Path wav, int rate) throws IOException {
        return read(wav, rate, System.err::println);
    }
}
