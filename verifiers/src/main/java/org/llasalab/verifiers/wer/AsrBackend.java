package org.llasalab.verifiers.wer;

import java.util.List;

/** Speech recognition: one transcript per mono 16 kHz waveform, in order. Thread-safe. */
public interface AsrBackend extends AutoCloseable {
    List<String> transcribe(List<float[]> audio16k);

    @Override
    default void close() {}
}
