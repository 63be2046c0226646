package org.llasalab.verifiers.wer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.VerifierParams;
import org.llasalab.verify.VerifierProvider;

/**
 * Type {@code wer}: parameters {@code asr} (back-end name, e.g. {@code whisper}), {@code normalizer}
 * ({@code seed-tts-eval}, the default, or {@code english}), {@code unit} ({@code word}, the default, or
 * {@code character}), plus the back-end's own parameters (e.g. {@code model}).
 */
public final class WerVerifierProvider implements VerifierProvider {
    @Override
    public String type() {
        return "wer";
    }

    @Override
    public String description() {
        return "word error rate of an ASR transcript (asr: " + String.join("|", AsrBackends.names())
                + ", normalizer: " + String.join("|", TextNormalizer.names()) + ")";
    }

    @Override
    public Verifier create(Map<String, Object> params, Path baseDir) {
        VerifierParams p = new VerifierParams(type(), params, baseDir);
        TextNormalizer normalizer;
        try {
            normalizer = TextNormalizer.byName(p.string("normalizer", SeedTtsNormalizer.NAME));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(type() + ": parameter 'normalizer': " + e.getMessage(), e);
        }
        String unit = p.choice("unit", "word", List.of("word", "character"));
        AsrBackend asr = AsrBackends.create(p.string("asr"), p);
        return new WerVerifier(asr, normalizer, unit.equals("word") ? WerVerifier.Unit.WORD : WerVerifier.Unit.CHARACTER);
    }

    /** The back-end's revision: the error rate itself has not changed. */
    @Override
    public String version(Map<String, Object> params) {
        Object asr = params.get("asr");
        return asr == null ? "1" : AsrBackends.version(asr.toString());
    }
}
