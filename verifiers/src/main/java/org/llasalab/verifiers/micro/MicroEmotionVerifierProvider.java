package org.llasalab.verifiers.micro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.VerifierParams;
import org.llasalab.verify.VerifierProvider;

/** Type {@code micro-emotion}: probability of the target micro-world style, or style-embedding cosine with the prompt. Parameter {@code model}. */
public final class MicroEmotionVerifierProvider implements VerifierProvider {
    public static final String TYPE = "micro-emotion";

    @Override
    public String type() { return TYPE; }

    @Override
    public String description() {
        return "micro-world style (neutral/cheerful/sad/angry): probability of the target style, or style cosine with the prompt";
    }

    @Override
    public Verifier create(Map<String, Object> params, Path baseDir) {
        VerifierParams p = new VerifierParams(TYPE, params, baseDir);
        Path dir = MicroModelDirs.resolve(TYPE, p);
        try {
            return new MicroEmotionVerifier(MicroEmotionModel.load(dir));
        } catch (IOException e) {
            throw new IllegalArgumentException(TYPE + ": " + e.getMessage(), e);
        }
    }
}
