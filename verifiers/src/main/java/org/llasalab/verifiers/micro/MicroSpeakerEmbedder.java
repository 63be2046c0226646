package org.llasalab.verifiers.micro;

import java.io.IOException;
import java.nio.file.Path;
import org.llasalab.verifiers.AudioEmbedder;

/** micro-speaker: the x-vector embedding of an utterance. */
public final class MicroSpeakerEmbedder implements AudioEmbedder {
    private final XVectorModel model;

    public MicroSpeakerEmbedder(XVectorModel model) {
        this.model = model;
    }

    public static MicroSpeakerEmbedder load(Path dir) throws IOException {
        return new MicroSpeakerEmbedder(MicroModels.loadXVector(dir));
    }

    public XVectorModel model() { return model; }

    @Override
    public float[] embed(float[] audio16k) {
        return model.forward16k(audio16k).embedding();
    }
}
