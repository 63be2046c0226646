package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;

class CorpusEncoderTest {
    /** A real, trivial codec for this test: one code per 320 samples, the frame's peak level in 8 steps. */
    static final class LevelCodec implements SpeechCodec {
        public String name() { return "level"; }
        public int sampleRate() { return 16000; }
        public double frameRate() { return 50; }
        public int codebookSize() { return 8; }
        public boolean canEncode() { return true; }
        public int[][] encode(float[][] audio) {
            int[][] out = new int[audio.length][];
            for (int u = 0; u < audio.length; u++) {
                out[u] = new int[audio[u].length / 320];
                for (int f = 0; f < out[u].length; f++) {
                    float peak = 0;
                    for (int i = 0; i < 320; i++) peak = Math.max(peak, Math.abs(audio[u][f * 320 + i]));
                    out[u][f] = Math.min(7, (int) (peak * 8));
                }
            }
            return out;
        }
        public float[][] decode(int[][] codes) { throw new UnsupportedOperationException("not needed"); }
    }

    static void wav(Path file, float... levels) throws IOException {
        float[] samples = new float[levels.length * 320];
        for (int f = 0; f < levels.length; f++) for (int i = 0; i < 320; i++) samples[f * 320 + i] = (i % 2 == 0 ? 1 : -1) * levels[f];
        Files.createDirectories(file.getParent());
        Wav.write(file, new Audio(samples, 16000), false);
    }

    @Test
    void encodesManifestIntoCache(@TempDir Path tmp) throws Exception {
        wav(tmp.resolve("wavs/a/u1.wav"), 0.1f, 0.5f, 0.9f);
        wav(tmp.resolve("wavs/b/u2.wav"), 0.3f, 0.3f);
        Files.writeString(tmp.resolve("manifest.jsonl"), """
                {"id":"u1","text":"hello","phonemes":"h @  l oU","speaker":"a","style":"neutral","split":"train","wav":"wavs/a/u1.wav"}
                {"id":"u2","text":"word","phonemes":"w 3: d","speaker":"b","style":"fast","split":"dev","wav":"wavs/b/u2.wav"}
                """);
        Path cache = tmp.resolve("cache.bin");
        assertEquals(2, CorpusEncoder.encode(tmp, new LevelCodec(), cache, 1, s -> {}));
        UtteranceCache.Contents c = UtteranceCache.read(cache);
        assertEquals("level", c.codec());
        assertEquals(8, c.codebookSize());
        Utterance u1 = c.utterances().get(0);
        assertEquals("a/neutral", u1.voice());
        assertEquals("h @ l oU", u1.symbols());
        assertArrayEquals(new int[] {0, 4, 7}, u1.codes());
        assertEquals("dev", c.utterances().get(1).split());
    }

    @Test
    void badManifestLineIsNamed(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("manifest.jsonl"), """
                {"id":"u1","phonemes":"h","speaker":"a","style":"s","wav":"x.wav"}
                {"id":"u2","phonemes":"h","speaker":"a","wav":"y.wav"}
                """);
        IOException e = assertThrows(IOException.class, () -> CorpusEncoder.readManifest(tmp));
        assertTrue(e.getMessage().contains("manifest.jsonl:2: missing or empty 'style'"), e.getMessage());
    }
}
