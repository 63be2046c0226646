package org.llasalab.codec.micro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.dsp.LogMel;
import org.llasalab.dsp.MelFilterBank;
import org.llasalab.dsp.Stft;

class MicroCodecTest {
    static float[][] signals;
    static MicroCodec codec;

    /** Harmonic tones with a gliding pitch: speech-like spectra, different per signal. */
    static float[] glide(double f0, double f1, double seconds, long seed) {
        Random r = new Random(seed);
        int n = (int) (16000 * seconds);
        float[] x = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double f = f0 + (f1 - f0) * i / n;
            phase += 2 * Math.PI * f / 16000;
            double s = 0;
            for (int h = 1; h <= 6; h++) s += Math.sin(h * phase) / h;
            x[i] = (float) (0.2 * s + 0.01 * r.nextGaussian());
        }
        return x;
    }

    @BeforeAll
    static void train() {
        signals = new float[][] {glide(120, 240, 1.0, 1), glide(300, 150, 0.8, 2), glide(180, 190, 0.7, 3)};
        MicroCodecConfig config = MicroCodecConfig.defaults(1, 32);
        MicroCodec front = new MicroCodec(config, new Codebook(new float[32][80]));
        List<float[]> vectors = new ArrayList<>();
        for (float[] s : signals) vectors.addAll(List.of(front.stack(front.logMel(s))));
        codec = new MicroCodec(config, KMeans.fit(vectors.toArray(new float[0][]), 32, 8, 1, 1000, null).codebook());
    }

    @Test
    void encodesOneCodePerHopAndDecodesToTheSameLength() {
        int[][] codes = codec.encode(signals);
        for (int i = 0; i < signals.length; i++) {
            assertEquals((signals[i].length + 319) / 320, codes[i].length);
        }
        float[][] audio = codec.decode(codes);
        for (int i = 0; i < signals.length; i++) assertEquals(codes[i].length * 320, audio[i].length);
        assertEquals(50.0, codec.frameRate());
        assertEquals(320, codec.hopLength());
    }

    @Test
    void roundTripKeepsTheLogMelCloseAndQuantisationBeatsAConstant() {
        float[] x = signals[0];
        int[] codes = codec.encode(x);
        float[][] orig = codec.logMel(x);
        float[][] quant = codec.codeFrames(codes);
        LogMel front = new LogMel(16000, 1024, 320, 80, false, 1e-5f);
        float[][] resyn = codec.logMel(codec.decode(codes));
        double q = 0;
        double rt = 0;
        double base = 0;
        float[] mean = new float[80];
        for (float[] f : orig) for (int m = 0; m < 80; m++) mean[m] += f[m] / orig.length;
        for (int t = 0; t < orig.length; t++) {
            for (int m = 0; m < 80; m++) {
                q += Math.pow(orig[t][m] - quant[t][m], 2);
                rt += Math.pow(orig[t][m] - resyn[t][m], 2);
                base += Math.pow(orig[t][m] - mean[m], 2);
            }
        }
        int n = orig.length * 80;
        q = Math.sqrt(q / n);
        rt = Math.sqrt(rt / n);
        base = Math.sqrt(base / n);
        assertTrue(q < 0.6 * base, "quantisation RMSE " + q + " vs constant " + base);
        assertTrue(rt < base, "round-trip RMSE " + rt + " vs constant " + base);
        assertTrue(front.mels() == 80);
    }

    @Test
    void savesAndLoadsThroughTheCodecRegistry(@TempDir Path dir) throws IOException {
        codec.save(dir, Map.of("note", "test"));
        try (SpeechCodec loaded = Codecs.open(dir)) {
            assertEquals("micro", loaded.name());
            assertEquals(32, loaded.codebookSize());
            assertArrayEquals(codec.encode(signals[1]), loaded.encode(signals[1]));
            assertArrayEquals(codec.decode(new int[] {1, 2, 3}), loaded.decode(new int[] {1, 2, 3}));
        }
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json")).replace("\"codebook_size\" : 32", "\"codebook_size\" : 64"));
        IOException e = assertThrows(IOException.class, () -> Codecs.open(dir));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("[64, 80]"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llasa-micro-codec\", \"sample_rate\": 16000}");
        IOException e2 = assertThrows(IOException.class, () -> Codecs.open(dir));
        assertTrue(e2.getMessage().contains("config.json") && e2.getMessage().contains("n_fft"), e2.getMessage());
    }

    @Test
    void rejectsCodesOutsideTheCodebook() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.decode(new int[] {0, 32}));
        assertTrue(e.getMessage().contains("32"), e.getMessage());
    }

    @Test
    void stackedFramesHalveTheRate() {
        MicroCodecConfig two = MicroCodecConfig.defaults(2, 8);
        float[][] codes = new float[8][160];
        for (int k = 0; k < 8; k++) for (int d = 0; d < 160; d++) codes[k][d] = k - 5 + (d >= 80 ? 0.5f : 0);
        MicroCodec c = new MicroCodec(two, new Codebook(codes));
        assertEquals(25.0, c.frameRate());
        assertEquals(640, c.hopLength());
        int[] enc = c.encode(signals[0]);
        assertEquals((signals[0].length / 320 + 1) / 2, enc.length);
        float[][] frames = c.codeFrames(new int[] {3});
        assertEquals(2, frames.length);
        assertEquals(-2f, frames[0][0]);
        assertEquals(-1.5f, frames[1][0]);
    }

    @Test
    void melPseudoInverseIsARightInverse() {
        float[][] mel = MelFilterBank.slaney(16000, 1024, 80).weights();
        MelInverse inv = new MelInverse(mel);
        Random r = new Random(1);
        float[] m = new float[80];
        for (int i = 0; i < 80; i++) m[i] = 1 + r.nextFloat();
        float[] lin = inv.apply(m, new float[513]);
        // Positive mel energies from a smooth spectrum: M (M+ m) = m up to the clamping at zero.
        float[] back = MelFilterBank.slaney(16000, 1024, 80).apply(lin);
        double err = 0;
        for (int i = 0; i < 80; i++) err = Math.max(err, Math.abs(back[i] - m[i]) / m[i]);
        assertTrue(err < 0.5, "relative error " + err);
    }

    @Test
    void griffinLimRecoversAToneMagnitude() {
        float[] x = glide(200, 200, 0.5, 7);
        Stft stft = new Stft(1024, 320);
        float[][] mag = stft.magnitude(x);
        float[] y = new GriffinLim(1024, 320, 32, 0.99).reconstruct(mag, x.length);
        float[][] mag2 = stft.magnitude(y);
        double num = 0;
        double den = 0;
        for (int t = 2; t < mag.length - 2; t++) {
            for (int k = 0; k < mag[t].length; k++) {
                num += Math.pow(mag[t][k] - mag2[t][k], 2);
                den += Math.pow(mag[t][k], 2);
            }
        }
        double convergence = Math.sqrt(num / den);
        assertTrue(convergence < 0.2, "spectral convergence " + convergence);
    }
}
