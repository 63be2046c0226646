package org.llasalab.verifiers.wer;

import org.llasalab.verify.VerifierParams;

/**
 * Makes ASR back-ends of one name (the {@code asr:} parameter of a {@code wer} verifier). Found through
 * {@link java.util.ServiceLoader}; other modules add back-ends by listing theirs in
 * {@code META-INF/services/org.llasalab.verifiers.wer.AsrBackendProvider}.
 */
public interface AsrBackendProvider {
    String name();

    String description();

    /** Creates the back-end from the verifier's parameters (model path, threads, ...). */
    AsrBackend create(VerifierParams params);

    /** The revision of this back-end's transcripts: bumped when a change alters them (see VerifierProvider#version). */
    default String version() {
        return "1";
    }
}
