package org.llasalab.eval.signal;

import java.nio.file.Path;
import java.util.Map;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.VerifierParams;
import org.llasalab.verify.VerifierProvider;

/** Type {@code active-speech}: parameters {@code threshold_db} (default -40) and {@code frame_ms} (default 20). */
public final class ActiveSpeechProvider implements VerifierProvider {
    @Override
    public String type() {
        return "active-speech";
    }

    @Override
    public String description() {
        return "fraction of 20 ms frames at or above -40 dBFS (threshold_db, frame_ms): flags silent or truncated outputs";
    }

    @Override
    public Verifier create(Map<String, Object> params, Path baseDir) {
        VerifierParams p = new VerifierParams(type(), params, baseDir);
        return new ActiveSpeechVerifier(p.number("threshold_db", -40), p.number("frame_ms", 20));
    }
}
