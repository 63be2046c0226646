package org.llasalab.dsp;

/** Mono audio: samples in [-1, 1] at a sample rate in Hz. */
public record Audio(float[] samples, int sampleRate) {
    public Audio {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        }
    }

    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
