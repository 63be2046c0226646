package org.llasalab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llasalab.codec.SpeechCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llasa codec encode IN.wav --codec NAME|DIR --out CODES.json}. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Encode a WAV (any rate; resampled to the codec's) to codes, written as JSON.")
public final class CodecEncodeCommand implements CliCommand, Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.wav")
    Path input;

    @Option(names = "--codec", required = true, description = "Codec short name (e.g. micro) or folder.")
    String codec;

    @Option(names = "--out", required = true, description = "Output codes file (JSON).")
    Path out;

    @Override
    public String group() {
        return "codec";
    }

    @Override
    public Integer call() throws Exception {
        try (SpeechCodec c = CodecCommands.open(codec)) {
            if (!c.canEncode()) throw new IllegalArgumentException("codec " + c.name() + " has no encoder");
            float[] audio = CodecCommands.readFor(c, input);
            int[] codes = c.encode(audio);
            CodecCommands.writeCodes(out, c, codes);
            System.out.printf("%s: %.2f s -> %d codes (%s, %.1f codes/s) -> %s%n", input, audio.length / (double) c.sampleRate(),
                    codes.length, c.name(), c.frameRate(), out);
        }
        return 0;
    }
}
