package org.llasalab.lm;

import org.llasalab.io.LlamaConfig;

/**
 * Rotary position embedding in the Hugging Face "rotate half" layout: dimension i is paired with
 * i + headDim/2 and rotated by angle {@code position * invFreq[i]}. With llama3 scaling, low
 * frequencies (wavelength above original/lowFreqFactor) are divided by {@code factor}, high ones
 * (wavelength below original/highFreqFactor) are kept, and the band between is interpolated.
 */
public final class Rope {
    private final int half;
    private final float[] invFreq;
    private volatile float[][] cos = new float[0][];
    private volatile float[][] sin = new float[0][];

    public Rope(LlamaConfig c) {
        this.half = c.headDim() / 2;
        this.invFreq = inverseFrequencies(c);
    }

    /** theta^(-2i/d) for i in [0, d/2), then the llama3 frequency scaling when configured. */
    public static float[] inverseFrequencies(LlamaConfig c) {
        int d = c.headDim();
        float[] inv = new float[d / 2];
        LlamaConfig.RopeScaling s = c.ropeScaling();
        for (int i = 0; i < d / 2; i++) {
            double f = 1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / d);
            if (s != null) {
                double lowFreqWavelen = s.originalMaxPositionEmbeddings() / s.lowFreqFactor();
                double highFreqWavelen = s.originalMaxPositionEmbeddings() / s.highFreqFactor();
                double wavelen = 2 * Math.PI / f;
                if (wavelen > lowFreqWavelen) {
                    f = f / s.factor();
                } else if (wavelen >= highFreqWavelen) {
                    double smooth = (s.originalMaxPositionEmbeddings() / wavelen - s.lowFreqFactor())
                            / (s.highFreqFactor() - s.lowFreqFactor());
                    f = (1 - smooth) * f / s.factor() + smooth * f;
                }
            }
            inv[i] = (float) f;
        }
        return inv;
    }

    public float[] invFreq() {
        return invFreq.clone();
    }

    /** Makes sure cos/sin tables cover positions [0, positions). */
    public synchronized void ensure(int positions) {
        if (cos.length >= positions) return;
        float[][] c = new float[positions][];
        float[][] s = new float[positions][];
        System.arraycopy(cos, 0, c, 0, cos.length);
        System.arraycopy(sin, 0, s, 0, sin.length);
        for (int p = cos.length; p < positions; p++) {
            c[p] = new float[half];
            s[p] = new float[half];
            for (int i = 0; i < half; i++) {
                float angle = (float) p * invFreq[i]; // f32 product, as the reference computes it
                c[p][i] = (float) Math.cos(angle);
                s[p][i] = (float) Math.sin(angle);
            }
        }
        sin = s;
        cos = c;
    }

    /** Rotates {@code heads} consecutive heads of size 2*half starting at {@code v[offset]} to {@code position}. */
    public void apply(float[] v, int offset, int heads, int position) {
        float[] c = cos[position];
        float[] s = sin[position];
        for (int h = 0; h < heads; h++) {
            int base = offset + h * 2 * half;
            for (int i = 0; i < half; i++) {
                float a = v[base + i];
                float b = v[base + half + i];
                v[base + i] = a * c[i] - b * s[i];
                v[base + half + i] = b * c[i] + a * s[i];
            }
        }
    }
}
