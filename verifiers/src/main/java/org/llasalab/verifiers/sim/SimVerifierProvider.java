package org.llasalab.verifiers.sim;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llasalab.verifiers.onnx.OnnxEmbedder;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.VerifierParams;
import org.llasalab.verify.VerifierProvider;

/**
 * Type {@code sim}: speaker similarity. Back-end {@code onnx} (the default): parameters {@code model}
 * (ONNX file), {@code input}, {@code output}, {@code features} ({@code raw}, the default, or
 * {@code fbank}) and the front end's options (see {@link org.llasalab.verifiers.onnx.AudioFrontEnd}).
 * Back-end {@code cepstral}: no model, long-term cepstral statistics ({@link CepstralStatsEmbedder}),
 * an independent held-out auditor.
 */
public final class SimVerifierProvider implements VerifierProvider {
    @Override
    public String type() {
        return "sim";
    }

    @Override
    public String description() {
        return "speaker similarity: cosine of speaker embeddings of candidate and prompt (backend: onnx | cepstral)";
    }

    @Override
    public Verifier create(Map<String, Object> params, Path baseDir) {
        VerifierParams p = new VerifierParams(type(), params, baseDir);
        String backend = p.choice("backend", "onnx", List.of("onnx", "cepstral"));
        if (backend.equals("cepstral")) return new SimVerifier(new CepstralStatsEmbedder());
        try {
            return new SimVerifier(OnnxEmbedder.fromParams(p, "output", "raw", false));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(type() + ":") ? e : new IllegalArgumentException(type() + ": " + e.getMessage(), e);
        }
    }
}
