package org.llasalab.verifiers.micro;

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

    /** Log-mel frames [frames][80] of mono 16 kHz audio (at least one frame). */
    public static float[][] logMel(float[] audio16k) {
        float[] samples = audio16k.length >= N_FFT ? audio16k : java.util.Arrays.copyOf(audio16k, N_FFT);
        return LOG_MEL.compute(samples);
    }
}
