package org.llasalab.eval.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;

class BenchmarksTest {
    @TempDir
    Path dir;

    private Path wav(String relative) throws IOException {
        Path file = dir.resolve(relative);
        Wav.write(file, new Audio(new float[160], 16_000), false);
        return file;
    }

    private Path list(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void readsSeedTtsListWithRelativePathsBlankLinesAndOptionalGroundTruth() throws IOException {
        wav("prompt-wavs/a.wav");
        wav("prompt-wavs/b.wav");
        wav("wavs/b.wav");
        Path en = list("meta.lst",
                "\uFEFFutt-a|Hello there.|prompt-wavs/a.wav|Say this, please.",
                "",
                "utt-b|Second prompt|prompt-wavs/b.wav|Second target|wavs/b.wav\r");
        Benchmark b = Benchmarks.open(en.toString());
        assertEquals(2, b.items().size());
        BenchmarkItem a = b.items().get(0);
        assertEquals("utt-a", a.id());
        assertEquals("Hello there.", a.promptText());
        assertEquals("Say this, please.", a.targetText());
        assertEquals(dir.resolve("prompt-wavs/a.wav").toAbsolutePath().normalize(), a.promptWav().normalize());
        assertNull(a.groundTruthWav());
        assertEquals(dir.resolve("wavs/b.wav").toAbsolutePath().normalize(), b.items().get(1).groundTruthWav().normalize());
        assertEquals(1, b.limit(1).items().size());
        assertEquals("utt-a", Benchmarks.open(en.toString(), null, 1).items().getFirst().id());
        assertEquals(2, b.limit(0).items().size());
        assertEquals(2, b.limit(10).items().size());
    }

    @Test
    void namesMetaListAfterItsFolder() throws IOException {
        wav("zh/p.wav");
        Path zh = dir.resolve("zh/meta.lst");
        Files.writeString(zh, "u1|提示|p.wav|目标文本\n");
        Path hard = dir.resolve("zh/hardcase.lst");
        Files.writeString(hard, "u1|提示|p.wav|八百标兵奔北坡\n");
        assertEquals("zh", Benchmarks.open(zh.toString()).name());
        assertEquals("zh", Benchmarks.open(dir.resolve("zh").toString()).name());
        assertEquals("hardcase", Benchmarks.open(hard.toString()).name());
        assertEquals("目标文本", Benchmarks.open(zh.toString()).items().getFirst().targetText());
    }

    @Test
    void reportsEveryMalformedLineWithItsNumber() throws IOException {
        wav("p.wav");
        Path bad = list("bad.lst",
                "ok|t|p.wav|target",
                "too|few",
                "",
                "a|b|p.wav|c|d|e",
                "|t|p.wav|no id",
                "ok|t|p.wav|duplicate",
                "x|t||target",
                "../evil|t|p.wav|target");
        BenchmarkException e = assertThrows(BenchmarkException.class, () -> Benchmarks.open(bad.toString()));
        List<String> p = e.problems();
        assertEquals(6, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("line 2: expected 4 or 5"), p.get(0));
        assertTrue(p.get(1).startsWith("line 4: expected 4 or 5"), p.get(1));
        assertTrue(p.get(2).startsWith("line 5: empty utterance id"), p.get(2));
        assertTrue(p.get(3).contains("line 6: duplicate utterance id 'ok' (first on line 1)"), p.get(3));
        assertTrue(p.get(4).contains("line 7: empty prompt_wav"), p.get(4));
        assertTrue(p.get(5).contains("line 8: utterance id '../evil' cannot be used"), p.get(5));
        assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
    }

    @Test
    void reportsAllMissingAndUnreadableAudioTogether() throws IOException {
        wav("good.wav");
        Files.writeString(dir.resolve("text.wav"), "this is not audio");
        Files.write(dir.resolve("lossless.wav"), "fLaC\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
        Path l = list("meta.lst",
                "u1|t|good.wav|target|gt/u1.wav",
                "u2|t|missing-prompt.wav|target",
                "u3|t|text.wav|target",
                "u4|t|good.wav|target|lossless.wav");
        BenchmarkException e = assertThrows(BenchmarkException.class, () -> Benchmarks.open(l.toString()));
        List<String> p = e.problems();
        assertEquals(4, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("line 1 (u1): gt_wav missing:") && p.get(0).endsWith("u1.wav"), p.get(0));
        assertTrue(p.get(1).startsWith("line 2 (u2): prompt_wav missing:"), p.get(1));
        assertTrue(p.get(2).startsWith("line 3 (u3): prompt_wav not a RIFF/WAVE file"), p.get(2));
        assertTrue(p.get(3).contains("FLAC is not supported"), p.get(3));
        assertTrue(e.getMessage().contains("4 problems"), e.getMessage());
    }

    @Test
    void rejectsMissingListEmptyListAndUnknownName() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Benchmarks.open("test-nowhere"));
        assertTrue(e.getMessage().contains("no such benchmark"), e.getMessage());
        Path empty = list("empty.lst", "", "  ");
        e = assertThrows(BenchmarkException.class, () -> Benchmarks.open(empty.toString()));
        assertTrue(e.getMessage().contains("no items"), e.getMessage());
        Path latin1 = dir.resolve("latin1.lst");
        Files.write(latin1, new byte[] {'u', '|', (byte) 0xE9, '|', 'p', '|', 't', '\n'});
        e = assertThrows(IllegalArgumentException.class, () -> Benchmarks.open(latin1.toString()));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    @Test
    void readsLibriSpeechPcContinuationList() throws IOException {
        wav("LibriSpeech/test-clean/1089/134686/1089-134686-0000.wav");
        wav("LibriSpeech/test-clean/1089/134686/1089-134686-0004.wav");
        Path l = list("librispeech_pc_test_clean_cross_sentence.lst",
                "1089-134686-0000\t5.2\tHe hoped there would be stew for dinner.\t1089-134686-0004\t4.6\tStuff it into you, his belly counselled him.");
        Benchmark b = Benchmarks.open(l.toString());
        assertEquals("librispeech_pc_test_clean_cross_sentence", b.name());
        BenchmarkItem item = b.items().getFirst();
        assertEquals("1089-134686-0004", item.id());
        assertEquals("He hoped there would be stew for dinner.", item.promptText());
        assertEquals("Stuff it into you, his belly counselled him.", item.targetText());
        assertTrue(item.promptWav().endsWith(Path.of("test-clean/1089/134686/1089-134686-0000.wav")), item.promptWav().toString());
        assertTrue(item.groundTruthWav().endsWith(Path.of("1089/134686/1089-134686-0004.wav")));
        // An explicit audio root elsewhere is honoured.
        Path other = Files.createDirectories(dir.resolve("other"));
        Path moved = Files.copy(l, other.resolve("list.lst"));
        assertEquals(1, Benchmarks.open(moved.toString(), dir).items().size());
    }

    @Test
    void reportsLibriSpeechPcProblemsTogether() throws IOException {
        Files.createDirectories(dir.resolve("1089/134686"));
        Files.write(dir.resolve("1089/134686/1089-134686-0002.flac"), "fLaC\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
        wav("1089/134686/1089-134686-0003.wav");
        Path l = list("ls.lst",
                "1089-134686-0002\t5.2\tprompt\t1089-134686-0003\t4.6\ttarget",
                "1089-134686-0000\tfive\tprompt\t1089-134686-0004\t4.6\ttarget",
                "badid\t1\tprompt\t1089-134686-0005\t1\ttarget",
                "1089-134686-0000\t1\tprompt\t1089-134686-0006\t1",
                "1089-134686-0003\t1\tprompt\t1089-134686-0007\t1\ttarget");
        BenchmarkException e = assertThrows(BenchmarkException.class, () -> Benchmarks.open(l.toString()));
        List<String> p = e.problems();
        assertTrue(p.get(0).startsWith("line 2: duration 'five'"), p.get(0));
        assertTrue(p.get(1).startsWith("line 3: utterance id 'badid'"), p.get(1));
        assertTrue(p.get(2).startsWith("line 4: expected 6 tab-separated fields"), p.get(2));
        assertTrue(p.get(3).startsWith("line 1 (1089-134686-0003): prompt_wav FLAC is not supported"), p.get(3));
        assertTrue(p.get(4).startsWith("line 5 (1089-134686-0007): gt_wav missing:"), p.get(4));
        assertEquals(5, p.size(), p.toString());
    }

    @Test
    void opensMicroTestUnderLlasaHome() throws IOException {
        String saved = System.getProperty("llasa.home");
        try {
            Path home = dir.resolve("home");
            Path testset = Files.createDirectories(home.resolve("toolkit/microworld/testset"));
            Wav.write(testset.resolve("prompts/p1.wav"), new Audio(new float[16], 16_000), false);
            Files.writeString(testset.resolve("meta.lst"), "m1|prompt words|prompts/p1.wav|target words\n");
            System.setProperty("llasa.home", home.toString());
            Benchmark b = Benchmarks.open("micro-test");
            assertEquals("micro-test", b.name());
            assertEquals("m1", b.items().getFirst().id());
            System.setProperty("llasa.home", dir.resolve("nowhere").toString());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Benchmarks.open("micro-test"));
            assertTrue(e.getMessage().contains("micro-world test set not found"), e.getMessage());
        } finally {
            if (saved == null) System.clearProperty("llasa.home");
            else System.setProperty("llasa.home", saved);
        }
    }
}
