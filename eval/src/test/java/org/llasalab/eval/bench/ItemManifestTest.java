package org.llasalab.eval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;

/** Item attributes (speaker, style, emotion) from the manifest beside a seed-tts-eval list. */
class ItemManifestTest {
    /** The header and first rows of the micro-world test set's items.tsv (toolkit/microworld/testset/, branch microworld). */
    static final String HEADER = "utt\tspeaker\taccent\tgender\tstyle\temotion\tprompt_id\tprompt_seconds\ttarget_text";
    static final String ROW0 = "mwt0000\tus_f2\ten-us\tfemale\tneutral\tneutral\tmw000177\t1.102\tthe gods are just and will revenge our cause";
    static final String ROW1 = "mwt0001\tgb_f4\ten-gb\tfemale\tangry\tangry\tmw000538\t0.872\tshe worked hard for better living conditions for the poor";

    @TempDir
    Path dir;

    private Path write(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private Path microList() throws IOException {
        for (String w : new String[] {"wavs/mw000177.wav", "wavs/mw000538.wav"}) {
            Path f = dir.resolve(w);
            Files.createDirectories(f.getParent());
            Wav.write(f, new Audio(new float[160], 16_000), false);
        }
        return write("meta.lst",
                "mwt0000|is there a cure|wavs/mw000177.wav|the gods are just and will revenge our cause",
                "mwt0001|a sitting on a gate|wavs/mw000538.wav|she worked hard for better living conditions for the poor",
                "mwt0002|a sitting on a gate|wavs/mw000538.wav|he finally got his big break");
    }

    @Test
    void readsSpeakerStyleAndEmotionFromTheManifestBesideMetaLst() throws IOException {
        Path list = microList();
        write("items.tsv", HEADER, ROW0, "", ROW1);
        var items = Benchmarks.open(list.toString()).items();
        BenchmarkItem angry = items.get(1);
        assertEquals("angry", angry.emotion());
        assertEquals("gb_f4", angry.attribute(BenchmarkItem.SPEAKER));
        assertEquals("angry", angry.attribute(BenchmarkItem.STYLE));
        assertEquals(Map.of("speaker", "gb_f4", "accent", "en-gb", "gender", "female", "style", "angry",
                "emotion", "angry", "prompt_id", "mw000538", "prompt_seconds", "0.872"), angry.attributes());
        assertEquals("neutral", items.get(0).emotion());
        assertTrue(items.get(2).attributes().isEmpty(), "an item the manifest does not name has no attributes");
        assertNull(items.get(2).emotion());
    }

    @Test
    void aListWithoutManifestAndTheOldConstructorGiveNoAttributes() throws IOException {
        Path list = microList();
        assertTrue(Benchmarks.open(list.toString()).items().stream().allMatch(i -> i.attributes().isEmpty()));
        BenchmarkItem plain = new BenchmarkItem("a", "p", null, "t", null);
        assertEquals(Map.of(), plain.attributes());
        assertNull(plain.emotion());
    }

    @Test
    void aListsOwnManifestComesFirst() throws IOException {
        Path list = microList();
        Path other = Files.copy(list, dir.resolve("hard.lst"));
        write("items.tsv", HEADER, ROW0);
        write("hard.items.tsv", "utt\temotion", "mwt0000\tsad");
        assertEquals("sad", Benchmarks.open(other.toString()).items().get(0).emotion());
        assertEquals("neutral", Benchmarks.open(list.toString()).items().get(0).emotion());
        Files.delete(dir.resolve("hard.items.tsv"));
        assertNull(Benchmarks.open(other.toString()).items().get(0).emotion(), "items.tsv belongs to meta.lst only");
    }

    @Test
    void aBadManifestIsReportedWithItsFileAndEveryProblem() throws IOException {
        Path list = microList();
        Path manifest = write("items.tsv", HEADER, ROW0, "mwt0001\tgb_f4", ROW0,
                "mwt0009\tx\tx\tx\tx\tx\tx\tx\tx",
                ROW1.replace("for the poor", "for the rich"));
        BenchmarkException ex = assertThrows(BenchmarkException.class, () -> Benchmarks.open(list.toString()));
        assertTrue(ex.getMessage().startsWith(manifest.toString()), ex.getMessage());
        assertEquals(4, ex.problems().size(), ex.getMessage());
        assertTrue(ex.problems().get(0).startsWith("line 3: expected 9 tab-separated fields"), ex.getMessage());
        assertTrue(ex.problems().get(1).contains("duplicate utterance id 'mwt0000' (first on line 2)"), ex.getMessage());
        assertTrue(ex.problems().get(2).contains("'mwt0009' is not in the list"), ex.getMessage());
        assertTrue(ex.problems().get(3).contains("target_text of 'mwt0001' differs"), ex.getMessage());

        write("items.tsv", "speaker\temotion", "us_f2\tangry");
        ex = assertThrows(BenchmarkException.class, () -> Benchmarks.open(list.toString()));
        assertTrue(ex.getMessage().contains("names no 'utt' column"), ex.getMessage());
    }
}
