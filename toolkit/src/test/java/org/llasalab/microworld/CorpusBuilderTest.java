package org.llasalab.microworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;

class CorpusBuilderTest {
    @TempDir Path dir;

    private static SentencePool pool() {
        String[] texts = {"the children were playing house", "life goes on", "look on the bright side of it",
            "he played a trick on me", "give the devil his due", "where are we", "it was a fight to the finish",
            "he finally got his big break", "life is short", "the march of time"};
        List<SentencePool.Sentence> list = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            list.add(new SentencePool.Sentence(texts[i], i < 2 ? "test" : i < 3 ? "dev" : "train", "test"));
        }
        return SentencePool.of(list);
    }

    @Test
    void planIsDeterministicAndCoversEverySentenceEachEpoch() throws Exception {
        MicroTextFrontEnd fe = MicroTextFrontEnd.shipped();
        var a = new CorpusBuilder(pool(), fe, dir, 7, s -> {}).plan(0.05);
        var b = new CorpusBuilder(pool(), fe, dir, 7, s -> {}).plan(0.05);
        assertEquals(a, b);
        Set<String> ids = new HashSet<>();
        int total = 0;
        for (var batch : a) {
            assertTrue(batch.utterances().size() <= CorpusBuilder.BATCH);
            for (var u : batch.utterances()) {
                assertEquals(batch.speaker(), u.speaker());
                assertEquals(batch.style(), u.style());
                assertTrue(ids.add(u.id()), "unique ids");
                total++;
            }
        }
        assertEquals(0, total % 10, "whole epochs over the 10 sentences");
        var c = new CorpusBuilder(pool(), fe, dir, 8, s -> {}).plan(0.05);
        assertTrue(!a.equals(c), "another seed gives another plan");
    }

    @Test
    void buildsAManifestWithWavsAndSplits() throws Exception {
        SynthTest.requireEspeak();
        MicroTextFrontEnd fe = MicroTextFrontEnd.shipped();
        double hours = 20.0 / 3600;
        var done = new CorpusBuilder(pool(), fe, dir, 3, s -> {}).build(hours, 2);
        CorpusManifest m = CorpusManifest.read(dir);
        assertEquals(done.size(), m.entries().size());
        double seconds = 0;
        for (var e : m.entries()) {
            Audio a = m.audio(e);
            assertEquals(16000, a.sampleRate());
            assertEquals(e.duration(), a.seconds(), 1e-3);
            assertEquals(String.join(" ", fe.phonemes(e.text())), e.phonemes());
            assertEquals(e.text().startsWith("the children") || e.text().equals("life goes on") ? "test"
                    : e.text().startsWith("look on") ? "dev" : "train", e.split());
            assertTrue(Voices.speaker(e.speaker()).isPresent() && Voices.style(e.style()).isPresent());
            assertTrue(e.wav().startsWith("wavs/" + e.speaker() + "/"));
            seconds += e.duration();
        }
        assertTrue(seconds >= hours * 3600, "reached " + seconds + " s");
        assertTrue(Files.isRegularFile(dir.resolve("corpus.json")) && Files.isRegularFile(dir.resolve("lexicon.tsv")));
        assertTrue(!Files.exists(dir.resolve("tmp")), "temporary folder removed");
        try (var w = Files.walk(dir.resolve("wavs"))) {
            assertEquals(m.entries().size(), w.filter(p -> p.toString().endsWith(".wav")).count(), "no stray WAVs");
        }
        Audio first = Wav.read(m.wav(m.entries().get(0)));
        assertTrue(first.seconds() > 0.4);
    }
}
