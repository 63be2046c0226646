package org.llasalab.verifiers.micro;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.llasalab.dsp.LogMel;

/**
 * The micro verifiers' front end: 80-bin log-mel (Slaney filters on the STFT magnitude, n_fft 400,
 * hop 160: 100 frames/s at 16 kHz, natural log with floor 1e-5). Normalisation with per-bin mean and
 * standard deviation is part of each model's weights.
 */
public final class MicroFrontEnd {
    public static final int SAMPLE_RATE = 16_000;
    public static final int N_FFT = 400;
    public static final int HOP = 160;
    public static final int MELS = 80;
    public static final float LOG_FLOOR = 1e-5f;

    private static final LogMel LOG_MEL = new LogMel(SAMPLE_RATE, N_FFT, HOP, MELS, false, LOG_FLOOR);

    private MicroFrontEnd() {}

    /**
     * The features of recent audio arrays, by identity: the micro ASR, speaker and emotion models all
     * read the same log-mel, and a search scores a candidate's audio array with one verifier before the
     * evaluation scores the same array with the others. Weak keys: an entry goes with its audio.
     */
    private static final Map<float[], float[][]> RECENT = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Log-mel frames [frames][80] of mono 16 kHz audio (at least one frame). Callers must not modify
     * the result (it is shared with later calls for the same array) nor the audio after the call.
     */
    public static float[][] logMel(float[] audio16k) {
        float[][] cached = RECENT.get(audio16k);
        if (cached != null) return cached;
        float[] samples = audio16k.length >= N_FFT ? audio16k : java.util.Arrays.copyOf(audio16k, N_FFT);
        float[][] features = LOG_MEL.compute(samples); // outside the lock: verifiers score candidates in parallel
        RECENT.put(audio16k, features);
        return features;
    }
}
