package org.llasalab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llasalab.codec.SpeechCodec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llasa codec decode --codec NAME|DIR (--codes 1,2,3 | --codes-file F) --out OUT.wav [--float]}. */
@Command(name = "decode", mixinStandardHelpOptions = true, description = "Decode codes to a WAV at the codec's rate.")
public final class CodecDecodeCommand implements CliCommand, Callable<Integer> {
    @Option(names = "--codec", required = true, description = "Codec short name (e.g. micro) or folder.")
    String codec;

    static final class Source {
        @Option(names = "--codes", description = "Codes, comma separated.")
        String codes;

        @Option(names = "--codes-file", description = "Codes file: JSON from 'codec encode', or integers separated by commas or spaces.")
        Path codesFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--out", required = true, description = "Output WAV.")
    Path out;

    @Option(names = "--float", description = "Write 32-bit float instead of 16-bit PCM.")
    boolean float32;

    @Override
    public String group() {
        return "codec";
    }

    @Override
    public Integer call() throws Exception {
        int[] codes = source.codes != null ? CodecCommands.parseCodes(source.codes) : CodecCommands.readCodes(source.codesFile);
        try (SpeechCodec c = CodecCommands.open(codec)) {
            CodecCommands.checkRange(c, codes);
            float[] audio = c.decode(codes);
            CodecCommands.writeWav(out, c, audio, float32);
            System.out.printf("%d codes -> %.2f s at %d Hz -> %s%n", codes.length, audio.length / (double) c.sampleRate(),
                    c.sampleRate(), out);
        }
        return 0;
    }
}
