package org.llasalab.microworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;

/** The micro world's shipped assets under {@code toolkit/microworld/} are complete and consistent. */
class ShippedAssetsTest {
    @Test
    void catalogueResolvesTheCodecAndListsNamesOnError() throws Exception {
        Path micro = Catalogue.resolve("micro");
        assertTrue(Files.isRegularFile(micro.resolve("config.json")));
        try (SpeechCodec c = Codecs.open("micro", Catalogue::lookup)) {
            assertEquals(16000, c.sampleRate());
            assertTrue(c.codebookSize() >= 256);
            assertEquals(50.0, c.frameRate());
        }
        try (SpeechCodec c = Codecs.open("micro-25hz", Catalogue::lookup)) {
            assertEquals(25.0, c.frameRate());
            assertEquals(640, c.hopLength());
            assertEquals(2048, c.codebookSize());
        }
        IOException e = assertThrows(IOException.class, () -> Catalogue.resolve("micro-nonexistent"));
        assertTrue(e.getMessage().contains("micro-nonexistent") && e.getMessage().contains("micro"), e.getMessage());
    }

    @Test
    void testSetIsWellFormedAndHeldOut() throws Exception {
        Path dir = Catalogue.microworldDir().resolve("testset");
        List<String> meta = Files.readAllLines(dir.resolve("meta.lst"));
        List<String> items = Files.readAllLines(dir.resolve("items.tsv"));
        assertTrue(meta.size() >= 200, meta.size() + " items");
        assertEquals(meta.size() + 1, items.size(), "items.tsv has a header and one row per item");
        MicroTextFrontEnd fe = MicroTextFrontEnd.shipped();
        Set<String> utts = new HashSet<>();
        Set<String> pairs = new HashSet<>();
        long bytes = 0;
        Set<Path> wavs = new HashSet<>();
        for (int i = 0; i < meta.size(); i++) {
            String[] f = meta.get(i).split("\\|", -1);
            assertEquals(4, f.length, meta.get(i));
            assertTrue(utts.add(f[0]), "duplicate utt " + f[0]);
            assertNotEquals(f[1], f[3], "target differs from the prompt");
            fe.phonemes(f[1]);
            fe.phonemes(f[3]);
            Path wav = dir.resolve(f[2]);
            if (wavs.add(wav)) {
                Audio a = Wav.read(wav);
                assertEquals(16000, a.sampleRate());
                assertTrue(a.seconds() > 0.3 && a.seconds() < 3, wav + " lasts " + a.seconds());
                bytes += Files.size(wav);
            }
            String[] row = items.get(i + 1).split("\t");
            assertEquals(f[0], row[0]);
            assertTrue(Voices.speaker(row[1]).isPresent() && Voices.style(row[4]).isPresent(), items.get(i + 1));
            assertEquals(f[3], row[8]);
            pairs.add(row[1] + "/" + row[4]);
        }
        assertEquals(Voices.SPEAKERS.size() * Voices.STYLES.size(), pairs.size(), "every speaker x style is covered");
        assertTrue(bytes < 8_000_000, "prompt WAVs take " + bytes + " bytes");
    }
}
