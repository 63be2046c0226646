package org.llasalab.verifiers.micro;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llasalab.verifiers.wer.WerVerifierProvider;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.VerifierProvider;

/** Type {@code micro-asr}: shorthand for {@code type: wer, asr: micro-asr} (metric {@code wer}, other {@code wer} parameters allowed). */
public final class MicroAsrVerifierProvider implements VerifierProvider {
    public static final String TYPE = "micro-asr";

    @Override
    public String type() { return TYPE; }

    @Override
    public String description() {
        return "micro-world word error rate with the micro-asr recogniser (same as type wer, asr micro-asr)";
    }

    @Override
    public Verifier create(Map<String, Object> params, Path baseDir) {
        Map<String, Object> p = new LinkedHashMap<>(params == null ? Map.of() : params);
        Object asr = p.putIfAbsent("asr", MicroAsrBackendProvider.NAME);
        if (asr != null && !asr.toString().equals(MicroAsrBackendProvider.NAME)) {
            throw new IllegalArgumentException(TYPE + ": parameter 'asr' must be " + MicroAsrBackendProvider.NAME + " (or absent), got '" + asr + "'");
        }
        return new WerVerifierProvider().create(p, baseDir);
    }

    @Override
    public String version(Map<String, Object> params) {
        return new MicroAsrBackendProvider().version();
    }
}
