package org.llasalab.verifiers.micro;

import java.io.IOException;
import java.nio.file.Path;
import org.llasalab.verifiers.wer.AsrBackend;
import org.llasalab.verifiers.wer.AsrBackendProvider;
import org.llasalab.verify.VerifierParams;

/** ASR back-end {@code micro-asr} of the {@code wer} verifier. Parameters {@code model} (folder or catalogue name), {@code beam}, {@code lm_weight}. */
public final class MicroAsrBackendProvider implements AsrBackendProvider {
    public static final String NAME = "micro-asr";

    @Override
    public String name() { return NAME; }

    @Override
    public String description() {
        return "micro-world CTC phoneme recogniser with lexicon-constrained beam search";
    }

    @Override
    public AsrBackend create(VerifierParams p) {
        Path dir = MicroModelDirs.resolve(NAME, p);
        try {
            MicroAsr defaults = MicroAsr.load(dir);
            if (!p.has("beam") && !p.has("lm_weight")) return defaults;
            return MicroAsr.load(dir, p.integer("beam", 16), p.number("lm_weight", 0));
        } catch (IOException e) {
            throw new IllegalArgumentException(NAME + ": " + e.getMessage(), e);
        }
    }
}
