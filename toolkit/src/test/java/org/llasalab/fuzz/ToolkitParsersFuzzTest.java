package org.llasalab.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Path;
import org.llasalab.dsp.Wav;
import org.llasalab.io.LlamaConfig;
import org.llasalab.io.Safetensors;
import org.llasalab.lm.prompt.LlasaTokenizer;

/**
 * Fuzz tests of the toolkit's parsers of user files: safetensors headers, {@code config.json},
 * {@code tokenizer.json} and WAV. Every build runs each against its seeds and past findings (the files
 * in {@code src/test/resources/org/llasalab/fuzz/ToolkitParsersFuzzTestInputs/METHOD/}); {@code ./llasa
 * --fuzz} mutates them for a while (see the README). The contract is {@link ParseContract}'s: the
 * parser's documented exception naming the file, never another exception, an error or a hang.
 */
class ToolkitParsersFuzzTest {

    /** A safetensors file: 8-byte header length, JSON header, data. */
    @FuzzTest
    void safetensorsHeader(byte[] bytes) throws Exception {
        Path f = ParseContract.write("safetensors/model.safetensors", bytes);
        ParseContract.check(f, () -> Safetensors.readHeader(f), IOException.class);
    }

    /** A model's {@code config.json}. */
    @FuzzTest
    void configJson(byte[] bytes) throws Exception {
        Path f = ParseContract.write("config/config.json", bytes);
        ParseContract.check(f, () -> LlamaConfig.load(f), IOException.class);
    }

    /** A Llasa {@code tokenizer.json} (Hugging Face tokenizers, with the Llasa markers and speech tokens). */
    @FuzzTest
    void tokenizerJson(byte[] bytes) throws Exception {
        Path f = ParseContract.write("tokenizer/tokenizer.json", bytes);
        ParseContract.check(f, () -> {
            try (LlasaTokenizer t = LlasaTokenizer.open(f)) {
                t.encode("hello world");
            }
        }, IOException.class);
    }

    /** A WAV file (PCM 8/16/24/32-bit, float, extensible; any chunk order). */
    @FuzzTest
    void wav(byte[] bytes) throws Exception {
        Path f = ParseContract.write("wav/audio.wav", bytes);
        ParseContract.check(f, () -> Wav.read(f), IOException.class);
    }
}
