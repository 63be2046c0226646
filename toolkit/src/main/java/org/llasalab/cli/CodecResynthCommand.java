package org.llasalab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llasalab.codec.SpeechCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llasa codec resynth IN.wav --codec NAME|DIR --out OUT.wav}: encode then decode. */
@Command(name = "resynth", mixinStandardHelpOptions = true, description = "Encode a WAV and decode it again (codec round trip).")
public final class CodecResynthCommand implements CliCommand, Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.wav")
    Path input;

    @Option(names = "--codec", required = true, description = "Codec short name (e.g. micro) or folder.")
    String codec;

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
        try (SpeechCodec c = CodecCommands.open(codec)) {
            if (!c.canEncode()) throw new IllegalArgumentException("codec " + c.name() + " has no encoder");
            float[] audio = CodecCommands.readFor(c, input);
            int[] codes = c.encode(audio);
            float[] back = c.decode(codes);
            CodecCommands.writeWav(out, c, back, float32);
            System.out.printf("%s: %.2f s -> %d codes -> %s%n", input, audio.length / (double) c.sampleRate(), codes.length, out);
        }
        return 0;
    }
}
