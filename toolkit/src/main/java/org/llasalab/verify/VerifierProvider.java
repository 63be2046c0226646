package org.llasalab.verify;

import java.nio.file.Path;
import java.util.Map;

/**
 * Makes verifiers of one type (the {@code type:} in an experiment YAML, e.g. {@code micro-asr},
 * {@code whisper}, {@code onnx-speaker}). Found through {@link java.util.ServiceLoader}.
 */
public interface VerifierProvider {
    /** The type name used in YAML and on the command line. */
    String type();

    /** A one-line description for error messages and {@code --help}. */
    String description();

    /**
     * Creates a verifier from its YAML parameters. {@code baseDir} resolves relative paths.
     * Throws {@link IllegalArgumentException} naming the parameter for bad or missing parameters.
     */
    Verifier create(Map<String, Object> params, Path baseDir);

    /**
     * The revision of the scores this type gives with {@code params}: "1" until a change alters them for
     * the same parameters (a decoding fix, a retrained default model), which bumps it. Results folders
     * record it with every score, so that a rerun rescores what an older revision judged.
     */
    default String version(Map<String, Object> params) {
        return "1";
    }
}
