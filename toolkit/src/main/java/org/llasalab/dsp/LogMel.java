package org.llasalab.dsp;

/**
 * Log-mel features: |STFT| (magnitude, or power when {@code power} is set) through a Slaney mel filter
 * bank, then the natural log of max(value, floor). One row per STFT frame (1 + samples / hop rows).
 */
public final class LogMel {
    private final int sampleRate;
    private final int nFft;
    private final int hop;
    private final boolean power;
    private final float floor;
    private final MelFilterBank filters;

    public LogMel(int sampleRate, int nFft, int hop, int mels, boolean power, float floor) {
        this.sampleRate = sampleRate;
        this.nFft = nFft;
        this.hop = hop;
        this.power = power;
        this.floor = floor;
        this.filters = MelFilterBank.slaney(sampleRate, nFft, mels);
    }

    public MelFilterBank filters() { return filters; }

    public int sampleRate() { return sampleRate; }

    public int nFft() { return nFft; }

    public int hop() { return hop; }

    public int mels() { return filters.mels(); }

    public boolean power() { return power; }

    public float floor() { return floor; }

    /** Features [frames][mels] of mono audio at this front end's sample rate. Thread-safe. */
    public float[][] compute(float[] samples) {
        float[][] mag = new Stft(nFft, hop).magnitude(samples);
        float[][] out = new float[mag.length][];
        for (int t = 0; t < mag.length; t++) {
            float[] spec = mag[t];
            if (power) {
                for (int k = 0; k < spec.length; k++) spec[k] *= spec[k];
            }
            float[] mel = filters.apply(spec);
            for (int m = 0; m < mel.length; m++) {
                mel[m] = (float) Math.log(Math.max(mel[m], floor));
            }
            out[t] = mel;
        }
        return out;
    }

    /** Features of {@code audio}, resampled to this front end's rate first when needed. */
    public float[][] compute(Audio audio) {
        return compute(Resampler.resample(audio, sampleRate).samples());
    }
}
