package org.llasalab.verifiers.micro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.llasalab.verifiers.sim.SimVerifier;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.VerifierParams;
import org.llasalab.verify.VerifierProvider;

/** Type {@code micro-speaker}: cosine of micro-world x-vectors of candidate and prompt (metric {@code sim}). Parameter {@code model}. */
public final class MicroSpeakerVerifierProvider implements VerifierProvider {
    public static final String TYPE = "micro-speaker";

    @Override
    public String type() { return TYPE; }

    @Override
    public String description() {
        return "micro-world speaker similarity: cosine of micro-speaker x-vectors of candidate and prompt";
    }

    @Override
    public Verifier create(Map<String, Object> params, Path baseDir) {
        VerifierParams p = new VerifierParams(TYPE, params, baseDir);
        Path dir = MicroModelDirs.resolve(TYPE, p);
        try {
            return new SimVerifier(MicroSpeakerEmbedder.load(dir));
        } catch (IOException e) {
            throw new IllegalArgumentException(TYPE + ": " + e.getMessage(), e);
        }
    }
}
