package org.llasalab.codec.xcodec2;

import org.llasalab.codec.SpeechCodec;

/**
 * X-codec2 as a {@link SpeechCodec}: decoding always; encoding when the checkpoint holds the encoder
 * (w2v-BERT 2.0 semantic branch plus the acoustic conv encoder; a decoder-only folder cannot encode).
 */
public final class XCodec2Codec implements SpeechCodec {
    private final XCodec2Decoder decoder;
    private final XCodec2Encoder encoder;
    private final String encoderProblem;

    public XCodec2Codec(XCodec2Decoder decoder) {
        this(decoder, null, null);
    }

    /**
     * {@code encoder} may be null (decode only; {@code encoderProblem}, when not null, says why the checkpoint's
     * encoder could not be loaded); the encoder is closed with the codec.
     */
    public XCodec2Codec(XCodec2Decoder decoder, XCodec2Encoder encoder, String encoderProblem) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.encoderProblem = encoderProblem;
    }

    /** The encoder, or null when the checkpoint has none. */
    public XCodec2Encoder encoder() {
        return encoder;
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
        return encoder != null;
    }

    /** Encodes each row on its own (utterance-level normalisation and attention never mix rows). */
    @Override
    public int[][] encode(float[][] audio) {
        if (encoder == null && encoderProblem != null) {
            throw new UnsupportedOperationException("cannot encode: " + encoderProblem);
        }
        if (encoder == null) {
            throw new UnsupportedOperationException("this X-codec2 checkpoint holds only the decoder (no semantic_model / "
                    + "semantic_encoder weights): use the full HKUSTAudio/xcodec2 model.safetensors, or pass voice prompts "
                    + "as codes (e.g. synth --prompt-codes)");
        }
        int[][] out = new int[audio.length][];
        for (int i = 0; i < audio.length; i++) {
            if (audio[i].length == 0) throw new IllegalArgumentException("row " + i + ": no audio to encode");
            out[i] = encoder.encode(audio[i]);
        }
        return out;
    }

    @Override
    public void close() {
        if (encoder != null) encoder.close();
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
