package org.llasalab.verifiers.testing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.llasalab.verifiers.wer.AsrBackend;
import org.llasalab.verifiers.wer.AsrBackendProvider;
import org.llasalab.verify.VerifierParams;

/**
 * Test double for an ASR back-end: the transcript of a waveform is {@code transcripts[round(audio[0])]}
 * from the parameters. Counts the waveforms it was asked to transcribe.
 */
public final class TableAsrProvider implements AsrBackendProvider {
    public static final AtomicInteger TRANSCRIBED = new AtomicInteger();

    @Override
    public String name() {
        return "test-table";
    }

    @Override
    public String description() {
        return "test: transcript looked up by the first sample";
    }

    @Override
    public AsrBackend create(VerifierParams params) {
        List<String> table = params.strings("transcripts");
        return audio -> audio.stream().map(a -> {
            TRANSCRIBED.incrementAndGet();
            return table.get(Math.round(a[0]));
        }).toList();
    }
}
