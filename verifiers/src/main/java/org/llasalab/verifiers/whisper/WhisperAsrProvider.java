package org.llasalab.verifiers.whisper;

import java.io.IOException;
import org.llasalab.verifiers.wer.AsrBackend;
import org.llasalab.verifiers.wer.AsrBackendProvider;
import org.llasalab.verify.VerifierParams;

/**
 * ASR back-end {@code whisper}: parameters {@code model} (a whisper.cpp ggml file such as
 * {@code ggml-large-v3.bin}), {@code states} (decoder states run in parallel, default one per core),
 * {@code threads} (threads per state, default 1) and {@code language} (default {@code en}).
 */
public final class WhisperAsrProvider implements AsrBackendProvider {
    @Override
    public String name() {
        return "whisper";
    }

    @Override
    public String description() {
        return "Whisper via whisper.cpp (model: ggml file), English, greedy, temperature 0";
    }

    @Override
    public AsrBackend create(VerifierParams params) {
        var modelFile = params.modelFile("model");
        int states = params.integer("states", Runtime.getRuntime().availableProcessors());
        try {
            return new WhisperAsr(modelFile, states, params.integer("threads", 1), params.string("language", "en"));
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
