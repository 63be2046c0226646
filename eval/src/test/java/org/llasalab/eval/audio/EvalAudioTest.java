package org.llasalab.eval.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Resampler;
import org.llasalab.dsp.Wav;

class EvalAudioTest {
    @TempDir
    Path dir;

    private static float[] tone(double hz, int rate, int length, double amplitude) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    /** Largest error against a tone at 16 kHz, away from the edges where the signal starts and stops. */
    private static double interiorError(float[] y, double hz, double amplitude) {
        double worst = 0;
        for (int i = 200; i < y.length - 200; i++) {
            worst = Math.max(worst, Math.abs(y[i] - amplitude * Math.sin(2 * Math.PI * hz * i / 16_000)));
        }
        return worst;
    }

    private static double rms(float[] y) {
        double s = 0;
        for (int i = 200; i < y.length - 200; i++) s += y[i] * (double) y[i];
        return Math.sqrt(s / (y.length - 400));
    }

    @Test
    void keepsTonesBelowTheNewNyquistAtCommonRates() {
        for (int rate : new int[] {8_000, 22_050, 24_000, 44_100, 48_000}) {
            float[] y = resample(tone(440, rate, rate, 0.5), rate, 16_000);
            assertEquals(16_000, y.length, "length at " + rate);
            assertTrue(interiorError(y, 440, 0.5) < 2e-3, "440 Hz from " + rate + ": " + interiorError(y, 440, 0.5));
        }
        float[] high = resample(tone(6_000, 48_000, 48_000, 0.5), 48_000, 16_000);
        assertTrue(interiorError(high, 6_000, 0.5) < 0.02, "6 kHz kept: " + interiorError(high, 6_000, 0.5));
    }

    @Test
    void removesWhatSixteenKilohertzCannotHold() {
        float[] y = resample(tone(11_000, 48_000, 48_000, 0.5), 48_000, 16_000);
        assertTrue(rms(y) < 0.005, "11 kHz must not alias into the 16 kHz signal, rms " + rms(y));
    }

    /** What {@link EvalAudio#load16k} does after reading the file. */
    private static float[] resample(float[] x, int inRate, int outRate) {
        return Resampler.resample(new Audio(x, inRate), outRate).samples();
    }

    @Test
    void sixteenKilohertzInputIsKeptAsIs() throws IOException {
        float[] x = tone(100, 16_000, 1600, 0.5);
        Path file = dir.resolve("16k.wav");
        Wav.write(file, new Audio(x, 16_000), true);
        assertArrayEquals(x, EvalAudio.load16k(file));
    }

    /** A 44.1 kHz stereo 24-bit WAV (left = right = tone) comes back as the tone at 16 kHz mono. */
    @Test
    void loadsStereo24BitAt44100As16kMono() throws IOException {
        int rate = 44_100;
        float[] t = tone(300, rate, rate / 2, 0.25);
        ByteBuffer b = ByteBuffer.allocate(44 + t.length * 6).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + t.length * 6).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 2).putInt(rate)
                .putInt(rate * 6).putShort((short) 6).putShort((short) 24);
        b.put("data".getBytes()).putInt(t.length * 6);
        for (float v : t) {
            int s = Math.round(v * 8_388_607f);
            for (int c = 0; c < 2; c++) b.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
        }
        Path file = dir.resolve("stereo.wav");
        Files.write(file, b.array());
        float[] y = EvalAudio.load16k(file);
        assertEquals(8_000, y.length);
        assertTrue(interiorError(y, 300, 0.25) < 2e-3, "error " + interiorError(y, 300, 0.25));
    }

    @Test
    void badFileNamesItself() throws IOException {
        Path file = dir.resolve("bad.wav");
        Files.writeString(file, "RIFF....WAVEjunk");
        IOException e = assertThrows(IOException.class, () -> EvalAudio.load16k(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
}
