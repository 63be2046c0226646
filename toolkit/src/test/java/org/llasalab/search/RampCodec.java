package org.llasalab.search;

import org.llasalab.codec.SpeechCodec;

/** Test double: code c decodes to one hop (320 samples at 16 kHz, 50 codes/s) of the constant c / (K-1). */
final class RampCodec implements SpeechCodec {
    int decodeCalls;
    long samplesDecoded;

    @Override public String name() { return "ramp"; }
    @Override public int sampleRate() { return 16_000; }
    @Override public double frameRate() { return 50; }
    @Override public int codebookSize() { return BigramLm.K; }
    @Override public boolean canEncode() { return false; }
    @Override public int[][] encode(float[][] audio) { throw new UnsupportedOperationException("no encoder"); }

    @Override
    public float[][] decode(int[][] codes) {
        decodeCalls++;
        float[][] out = new float[codes.length][];
        for (int r = 0; r < codes.length; r++) {
            out[r] = new float[codes[r].length * hopLength()];
            for (int i = 0; i < out[r].length; i++) out[r][i] = codes[r][i / hopLength()] / (BigramLm.K - 1f);
            samplesDecoded += out[r].length;
        }
        return out;
    }

    /** The codes back from this codec's audio (one sample per hop). */
    static int[] codesOf(float[] audio) {
        int[] codes = new int[audio.length / 320];
        for (int i = 0; i < codes.length; i++) codes[i] = Math.round(audio[i * 320] * (BigramLm.K - 1));
        return codes;
    }
}
