package org.llasalab.verifiers.micro;

import java.io.IOException;
import java.nio.file.Path;
import org.llasalab.verifiers.wer.AsrBackend;
import org.llasalab.verifiers.wer.AsrBackendProvider;
import org.llasalab.verify.VerifierParams;

/** ASR back-end {@code micro-asr} of the {@code wer} verifier. Parameters {@code model} (folder or catalogue name), {@code beam}, {@code lm_weight}, {@code word_bonus}. */
public final class MicroAsrBackendProvider implements AsrBackendProvider {
    public static final String NAME = "micro-asr";

    @Override
    public String name() { return NAME; }

    /** 2: audio that stops inside a word keeps its finished words (revision 1 gave an empty transcript). */
    @Override
    public String version() { return "2"; }

    @Override
    public String description() {
        return "micro-world CTC phoneme recogniser with lexicon-constrained beam search";
    }

    @Override
    public AsrBackend create(VerifierParams p) {
        Path dir = MicroModelDirs.resolve(NAME, p);
        try {
            if (!p.has("beam") && !p.has("lm_weight") && !p.has("word_bonus")) return MicroAsr.load(dir);
            var c = MicroWeights.readConfig(dir, CtcAsrModel.MODEL_TYPE);
            return MicroAsr.load(dir, p.integer("beam", c.path("beam").asInt(16)), p.number("lm_weight", c.path("lm_weight").asDouble(0)),
                    p.number("word_bonus", c.path("word_bonus").asDouble(0)));
        } catch (IOException e) {
            throw new IllegalArgumentException(NAME + ": " + e.getMessage(), e);
        }
    }
}
