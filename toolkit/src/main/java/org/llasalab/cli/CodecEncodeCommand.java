package org.llasalab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llasalab.codec.PromptAudio;
import org.llasalab.codec.SpeechCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code llasa codec encode IN.wav --codec NAME|DIR --out CODES.json|CODES.npy}. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = "Encode a WAV (any rate, resampled to the codec's; channels mixed down; at least "
                + PromptAudio.MIN_SECONDS + " s) to codes, written as JSON or, for a .npy name, as int64 [1, 1, n] like "
                + "the reference X-codec2.")
public final class CodecEncodeCommand implements CliCommand, Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.wav")
    Path input;

    @Option(names = "--codec", required = true, description = "Codec short name (e.g. micro) or folder.")
    String codec;

    @Option(names = "--out", required = true, description = "Output codes file: .npy (int64 [1, 1, n]) or JSON.")
    Path out;

    @Override
    public String group() {
        return "codec";
    }

    @Override
    public Integer call() throws Exception {
        try (SpeechCodec c = CodecCommands.open(codec)) {
            if (!c.canEncode()) {
                // the codec says why (e.g. an X-codec2 folder holding only the decoder)
                c.encode(new float[0]);
                throw new IllegalArgumentException("codec " + c.name() + " has no encoder");
            }
            float[] audio = PromptAudio.read(input, c.sampleRate());
            long t0 = System.nanoTime();
            int[] codes = c.encode(audio);
            double seconds = (System.nanoTime() - t0) / 1e9;
            CodecCommands.writeCodes(out, c, codes);
            System.out.printf("%s: %.2f s -> %d codes (%s, %.1f codes/s) in %.2f s -> %s%n", input,
                    audio.length / (double) c.sampleRate(), codes.length, c.name(), c.frameRate(), seconds, out);
        }
        return 0;
    }
}
