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

    static final Path ENCODER = Path.of(System.getProperty("llasa.home", "."), "toolkit/src/test/resources/golden/xcodec2-encoder");

    @Test
    void xcodec2EncodesToNpyLikeTheReference() throws Exception {
        StringWriter err = new StringWriter();
        Path npy = dir.resolve("codes.npy");
        assertEquals(0, run(err, "codec", "encode", ENCODER.resolve("prompt.wav").toString(), "--codec", ENCODER.toString(),
                "--out", npy.toString()), err.toString());
        com.fasterxml.jackson.databind.JsonNode codes = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(ENCODER.resolve("golden.json").toFile()).get("codes");
        int[] golden = new int[codes.size()];
        for (int i = 0; i < golden.length; i++) golden[i] = codes.get(i).asInt();
        assertArrayEquals(golden, org.llasalab.lm.prompt.PromptCodes.read(npy));
        assertArrayEquals(golden, CodecCommands.readCodes(npy));
        String header = new String(Files.readAllBytes(npy), 10, 60, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'<i8'") && header.contains("(1, 1, 31)"), header);
    }

    @Test
    void promptsAreMixedDownResampledOrRefused() throws Exception {
        Audio mono = Wav.read(ENCODER.resolve("prompt.wav"));
        // stereo: the two channels average to the mono prompt (as 16-bit PCM, so exactly representable halves)
        Path stereo = dir.resolve("stereo.wav");
        float[] s = mono.samples();
        java.nio.ByteBuffer pcm = java.nio.ByteBuffer.allocate(4 * s.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : s) {
            int q = Math.round(v * 32768);
            pcm.putShort((short) q).putShort((short) q);
        }
        writeWav(stereo, 2, 16000, pcm.array());
        float[] read = org.llasalab.codec.PromptAudio.read(stereo, 16000, m -> { throw new AssertionError(m); });
        assertArrayEquals(s, read, 0f);

        java.util.List<String> log = new java.util.ArrayList<>();
        Path at22k = dir.resolve("prompt-22k.wav");
        Wav.write(at22k, org.llasalab.dsp.Resampler.resample(mono, 22050), false);
        float[] back = org.llasalab.codec.PromptAudio.read(at22k, 16000, log::add);
        assertEquals(1, log.size());
        assertTrue(log.get(0).contains("prompt-22k.wav") && log.get(0).contains("22050 Hz to 16000 Hz"), log.get(0));
        assertEquals(s.length, back.length, 2);

        StringWriter err = new StringWriter();
        Path empty = dir.resolve("empty.wav");
        writeWav(empty, 1, 16000, new byte[0]);
        assertEquals(1, run(err, "codec", "encode", empty.toString(), "--codec", ENCODER.toString(), "--out", dir.resolve("e.npy").toString()));
        assertTrue(err.toString().contains("empty.wav") && err.toString().contains("empty (0 samples)"), err.toString());
        StringWriter err2 = new StringWriter();
        Path tenth = dir.resolve("tenth.wav");
        Wav.write(tenth, new Audio(new float[1600], 16000), false);
        assertEquals(1, run(err2, "codec", "encode", tenth.toString(), "--codec", ENCODER.toString(), "--out", dir.resolve("t.npy").toString()));
        assertTrue(err2.toString().contains("tenth.wav") && err2.toString().contains("0.100 s") && err2.toString().contains("1600 samples"),
                err2.toString());
        assertTrue(!Files.exists(dir.resolve("t.npy")) && !Files.exists(dir.resolve("e.npy")));
    }

    /** A PCM 16-bit WAV with {@code channels} interleaved channels. */
    private static void writeWav(Path file, int channels, int rate, byte[] pcm) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + pcm.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) channels).putInt(rate).putInt(rate * 2 * channels)
                .putShort((short) (2 * channels)).putShort((short) 16).put("data".getBytes()).putInt(pcm.length).put(pcm);
        Files.write(file, b.array());
    }
}
