package org.llasalab.eval.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verifiers.wer.SeedTtsNormalizer;
import org.llasalab.verifiers.wer.WerVerifier;

/** WER aggregates from the real WER verifier's scores of known transcripts (no ASR run needed). */
class ScoreTableTest {
    private static final ScoreTable.ColumnInfo WER = new ScoreTable.ColumnInfo("wer", "wer", "wer", Verifier.Direction.LOWER_IS_BETTER);

    private static ScoreTable table(String[][] targetAndTranscript, boolean withMissing) {
        WerVerifier wer = new WerVerifier(null, new SeedTtsNormalizer(), WerVerifier.Unit.WORD);
        List<ScoredItem> rows = new ArrayList<>();
        for (int i = 0; i < targetAndTranscript.length; i++) {
            BenchmarkItem item = new BenchmarkItem("u" + i, "prompt", Path.of("p.wav"), targetAndTranscript[i][0], null);
            Score s = wer.compare(targetAndTranscript[i][0], targetAndTranscript[i][1]);
            rows.add(new ScoredItem(item, Path.of("u" + i + ".wav"), false, 1.0, Map.of("wer", s)));
        }
        if (withMissing) {
            BenchmarkItem gone = new BenchmarkItem("gone", "prompt", Path.of("p.wav"), "anything", null);
            rows.add(ScoredItem.missing(gone, Path.of("gone.wav")));
        }
        return new ScoreTable(List.of(WER), rows, TranscriptRescorers.available(), 500, 7L);
    }

    @Test
    void protocolMeanCorpusAndEnglishVariants() {
        ScoreTable t = table(new String[][] {
                {"I have 50 apples.", "i have fifty apples"},   // seed-tts-eval: 1 substitution of 4; english: 0 of 4
                {"Hello, world!", "hello world"},                  // 0 of 2
                {"The cat sat on the mat.", "the cat sat on mat"}, // 1 deletion of 6
        }, true);
        assertEquals((0.25 + 0 + 1 / 6.0) / 3, t.aggregate("wer", "mean").value(), 1e-12);
        assertEquals(2 / 12.0, t.aggregate("wer", "corpus").value(), 1e-12);
        assertEquals((0 + 0 + 1 / 6.0) / 3, t.aggregate("wer", "mean_english").value(), 1e-12);
        assertEquals(1 / 12.0, t.aggregate("wer", "corpus_english").value(), 1e-12);
        assertEquals(3, t.aggregate("wer", "mean").interval().n(), "missing rows are not scored");
        assertArrayEquals(new double[] {0, 0, 1 / 6.0}, t.numbers().get("wer_english"), 1e-12);
        assertEquals("i have fifty apples", t.transcripts().get("wer")[0]);
        assertArrayEquals(new int[] {0, 2, 1}, t.worstFirst(), "highest WER first");
        assertEquals(1, t.missing().size());
        for (var a : t.aggregates()) {
            assertTrue(a.interval().low() <= a.value() + 1e-12 && a.value() <= a.interval().high() + 1e-12, a.toString());
        }
    }

    @Test
    void rescorersSkipCharacterErrorRateColumns() {
        WerVerifier cer = new WerVerifier(null, new SeedTtsNormalizer(), WerVerifier.Unit.CHARACTER);
        BenchmarkItem item = new BenchmarkItem("z", "p", Path.of("p.wav"), "八百标兵", null);
        ScoredItem r = new ScoredItem(item, Path.of("z.wav"), false, 1, Map.of("cer", cer.compare("八百标兵", "八百标")));
        ScoreTable t = new ScoreTable(List.of(new ScoreTable.ColumnInfo("cer", "wer", "cer", Verifier.Direction.LOWER_IS_BETTER)),
                List.of(r), TranscriptRescorers.available(), 100, 1L);
        assertEquals(0.25, t.aggregate("cer", "mean").value(), 1e-12);
        assertEquals(0.25, t.aggregate("cer", "corpus").value(), 1e-12);
        assertNull(t.aggregate("cer", "mean_english"));
    }
}
