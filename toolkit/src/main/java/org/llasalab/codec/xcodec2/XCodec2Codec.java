package org.llasalab.codec.xcodec2;

import org.llasalab.codec.SpeechCodec;

/**
 * X-codec2 as a {@link SpeechCodec}: decode only (the encoder, w2v-BERT 2.0 plus an acoustic conv
 * encoder, is not implemented; voice prompts come as codes from the reference Python codec).
 */
public final class XCodec2Codec implements SpeechCodec {
    private final XCodec2Decoder decoder;

    public XCodec2Codec(XCodec2Decoder decoder) {
        this.decoder = decoder;
    }

    public XCodec2Decoder decoder() {
        return decoder;
    }

    @Override
    public String name() {
        return "xcodec2";
    }

    @Override
    public int sampleRate() {
        return decoder.config().sampleRate();
    }

    @Override
    public double frameRate() {
        return decoder.config().sampleRate() / (double) decoder.config().hopLength();
    }

    @Override
    public int hopLength() {
        return decoder.config().hopLength();
    }

    @Override
    public int codebookSize() {
        return decoder.config().codebookSize();
    }

    @Override
    public boolean canEncode() {
        return false;
    }

    @Override
    public int[][] encode(float[][] audio) {
        throw new UnsupportedOperationException("the X-codec2 encoder is not implemented in Llasa Lab (decode only): "
                + "encode voice prompts with the reference Python codec and pass the codes (e.g. synth --prompt-codes)");
    }

    /** Decodes each row on its own (rows may differ in length); each row gives length x hop samples. */
    @Override
    public float[][] decode(int[][] codes) {
        float[][] out = new float[codes.length][];
        for (int i = 0; i < codes.length; i++) {
            try {
                out[i] = decoder.decode(codes[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("row " + i + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
