package org.llasalab.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {
    @TempDir Path dir;

    /** A RIFF chunk: id, little-endian size, body, pad byte when odd. */
    private static byte[] chunk(String id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.ISO_8859_1)).putInt(body.length).put(body);
        return b.array();
    }

    private static byte[] fmt(int format, int channels, int rate, int bits, boolean extensible) {
        ByteBuffer b = ByteBuffer.allocate(extensible ? 40 : 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (extensible ? 0xFFFE : format)).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        if (extensible) {
            b.putShort((short) 22).putShort((short) bits).putInt(0).putShort((short) format);
            b.put(new byte[14]);
        }
        return b.array();
    }

    private static byte[] riff(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WAVE".getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] c : chunks) body.writeBytes(c);
        byte[] inner = body.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(8 + inner.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(inner.length).put(inner);
        return b.array();
    }

    private static final double[] VALUES = {0, 0.5, -0.5, 0.25, -1};

    private static byte[] samples(int bits, boolean isFloat) {
        ByteBuffer b = ByteBuffer.allocate(VALUES.length * bits / 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : VALUES) {
            if (isFloat && bits == 32) b.putFloat((float) v);
            else if (isFloat) b.putDouble(v);
            else switch (bits) {
                case 8 -> b.put((byte) (128 + (int) Math.round(v * 128)));
                case 16 -> b.putShort((short) Math.round(v * 32768));
                case 24 -> {
                    int s = (int) Math.round(v * 8388608);
                    b.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
                }
                default -> b.putInt((int) Math.round(v * 2147483648.0));
            }
        }
        return b.array();
    }

    private Audio parse(byte[] bytes) throws Exception {
        return Wav.parse(dir.resolve("x.wav"), bytes);
    }

    @Test
    void readsEveryPcmAndFloatFormat() throws Exception {
        int[][] formats = {{1, 8}, {1, 16}, {1, 24}, {1, 32}, {3, 32}, {3, 64}};
        for (boolean extensible : new boolean[] {false, true}) {
            for (int[] f : formats) {
                byte[] wav = riff(chunk("fmt ", fmt(f[0], 1, 22050, f[1], extensible)),
                        chunk("data", samples(f[1], f[0] == 3)));
                Audio a = parse(wav);
                assertEquals(22050, a.sampleRate());
                assertEquals(VALUES.length, a.samples().length);
                for (int i = 0; i < VALUES.length; i++) {
                    assertEquals(VALUES[i], a.samples()[i], 1.0 / 128, "format " + Arrays.toString(f) + " sample " + i);
                }
            }
        }
    }

    @Test
    void mixesChannelsToMonoAndSkipsOtherChunks() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(3 * 3 * 2).order(ByteOrder.LITTLE_ENDIAN);
        short[][] frames = {{1000, 2000, 3000}, {-3000, 0, 3000}, {30000, 30000, 30000}};
        for (short[] f : frames) for (short s : f) data.putShort(s);
        byte[] wav = riff(chunk("LIST", "INFOISFT\u0005\0\0\0odd!x".getBytes(StandardCharsets.ISO_8859_1)),
                chunk("fmt ", fmt(1, 3, 16000, 16, false)),
                chunk("fact", new byte[] {1, 2, 3}),
                chunk("data", data.array()),
                chunk("junk", new byte[10]));
        Audio a = parse(wav);
        assertEquals(3, a.samples().length);
        assertEquals(2000 / 32768.0, a.samples()[0], 1e-6);
        assertEquals(0, a.samples()[1], 1e-6);
        assertEquals(30000 / 32768.0, a.samples()[2], 1e-6);
    }

    @Test
    void writeThenReadRoundTrips() throws Exception {
        float[] x = {0f, 0.5f, -0.25f, 0.999f, -1f};
        Path f = dir.resolve("sub/out.wav");
        Wav.write(f, new Audio(x, 16000), true);
        assertArrayEquals(x, Wav.read(f).samples());
        Wav.write(f, new Audio(x, 16000), false);
        Audio back = Wav.read(f);
        for (int i = 0; i < x.length; i++) assertEquals(x[i], back.samples()[i], 2.0 / 32768);
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void malformedFilesGiveClearErrorsNamingTheFile() throws Exception {
        byte[] good = riff(chunk("fmt ", fmt(1, 1, 16000, 16, false)), chunk("data", samples(16, false)));
        String[][] cases = {
            {"short", "too short"},
            {"notriff", "not a RIFF/WAVE"},
            {"truncfmt", "truncated fmt"},
            {"truncdata", "truncated data"},
            {"nodata", "no data chunk"},
            {"nofmt", "no fmt chunk"},
            {"badformat", "unsupported audio format"},
            {"badbits", "bit depth"},
            {"nochannels", "channel count"},
        };
        for (String[] c : cases) {
            byte[] bytes = switch (c[0]) {
                case "short" -> Arrays.copyOf(good, 8);
                case "notriff" -> { byte[] b = good.clone(); b[0] = 'X'; yield b; }
                case "truncfmt" -> Arrays.copyOf(good, 12 + 8 + 10);
                case "truncdata" -> Arrays.copyOf(good, good.length - 3);
                case "nodata" -> riff(chunk("fmt ", fmt(1, 1, 16000, 16, false)));
                case "nofmt" -> riff(chunk("data", samples(16, false)));
                case "badformat" -> riff(chunk("fmt ", fmt(2, 1, 16000, 16, false)), chunk("data", samples(16, false)));
                case "badbits" -> riff(chunk("fmt ", fmt(1, 1, 16000, 12, false)), chunk("data", samples(16, false)));
                default -> riff(chunk("fmt ", fmt(1, 0, 16000, 16, false)), chunk("data", samples(16, false)));
            };
            Path file = dir.resolve(c[0] + ".wav");
            Files.write(file, bytes);
            Wav.WavException e = assertThrows(Wav.WavException.class, () -> Wav.read(file), c[0]);
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
        Wav.WavException missing = assertThrows(Wav.WavException.class, () -> Wav.read(dir.resolve("none.wav")));
        assertTrue(missing.getMessage().contains("none.wav"));
    }
}
