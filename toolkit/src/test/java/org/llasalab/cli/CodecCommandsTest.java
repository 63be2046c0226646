package org.llasalab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;
import picocli.CommandLine;

/** The codec commands on the shipped micro codec ({@code toolkit/microworld/codec}). */
class CodecCommandsTest {
    @TempDir Path dir;

    private static int run(StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void encodeDecodeAndResynthAnyRateInput() throws Exception {
        float[] x = new float[44100];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / 44100.0) * (i < 22050 ? 1 : 0.3));
        Path in = dir.resolve("in.wav");
        Wav.write(in, new Audio(x, 44100), false);
        StringWriter err = new StringWriter();
        Path codes = dir.resolve("codes.json");
        assertEquals(0, run(err, "codec", "encode", in.toString(), "--codec", "micro", "--out", codes.toString()), err.toString());
        int[] parsed = CodecCommands.readCodes(codes);
        assertEquals(50, parsed.length);
        Path out = dir.resolve("out.wav");
        assertEquals(0, run(err, "codec", "decode", "--codec", "micro", "--codes-file", codes.toString(), "--out", out.toString()), err.toString());
        Audio decoded = Wav.read(out);
        assertEquals(16000, decoded.sampleRate());
        assertEquals(50 * 320, decoded.samples().length);
        Path out2 = dir.resolve("out2.wav");
        assertEquals(0, run(err, "codec", "decode", "--codec", "micro", "--codes", "1,2,3", "--out", out2.toString(), "--float"), err.toString());
        assertEquals(3 * 320, Wav.read(out2).samples().length);
        Path re = dir.resolve("re.wav");
        assertEquals(0, run(err, "codec", "resynth", in.toString(), "--codec", "micro", "--out", re.toString()), err.toString());
        assertArrayEquals(decoded.samples(), Wav.read(re).samples(), 1e-4f);
    }

    @Test
    void badInputGivesClearErrors() throws Exception {
        StringWriter err = new StringWriter();
        Path out = dir.resolve("x.wav");
        assertEquals(1, run(err, "codec", "decode", "--codec", "no-such-codec", "--codes", "1", "--out", out.toString()));
        assertTrue(err.toString().contains("no-such-codec") && err.toString().contains("micro"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(1, run(err2, "codec", "decode", "--codec", "micro", "--codes", "1,99999", "--out", out.toString()));
        assertTrue(err2.toString().contains("99999"), err2.toString());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"codes\": [1, \"x\"]}");
        StringWriter err3 = new StringWriter();
        assertEquals(1, run(err3, "codec", "decode", "--codec", "micro", "--codes-file", bad.toString(), "--out", out.toString()));
        assertTrue(err3.toString().contains("bad.json"), err3.toString());
        StringWriter err4 = new StringWriter();
        assertEquals(1, run(err4, "codec", "encode", dir.resolve("missing.wav").toString(), "--codec", "micro", "--out", out.toString()));
        assertTrue(err4.toString().contains("missing.wav"), err4.toString());
    }
}
