package org.llasalab.verifiers.wer;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llasalab.verifiers.testing.TableAsrProvider;
import org.llasalab.verify.CachingVerifier;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;

/** The wer verifier type with a table-lookup ASR test double (the WER arithmetic is what is tested). */
class WerVerifierTest {
    private static final List<String> TRANSCRIPTS = List.of("I paid $50 in 1990.", "I paid fifty dollars",
            "completely different words here");

    private static Candidate say(int transcript, String target) {
        return Candidate.of(new float[] {transcript, 0f, 0f}, target);
    }

    @Test
    void protocolExactAndEnglishNormalisation() {
        String target = "I paid fifty dollars in nineteen ninety.";
        try (Verifier exact = Verifiers.create("wer", Map.of("asr", "test-table", "transcripts", TRANSCRIPTS), Path.of("."));
             Verifier english = Verifiers.create("wer", Map.of("asr", "test-table", "transcripts", TRANSCRIPTS,
                     "normalizer", "english"), Path.of("."))) {
            assertEquals("wer", exact.metric());
            assertEquals(Verifier.Direction.LOWER_IS_BETTER, exact.direction());
            assertEquals(0, exact.min());
            assertEquals(Double.POSITIVE_INFINITY, exact.max());
            Score s = exact.score(List.of(say(0, target))).getFirst();
            // ref: i paid fifty dollars in nineteen ninety (7); hyp: i paid 50 in 1990 (5)
            assertEquals("I paid $50 in 1990.", s.details().get("transcript"));
            assertEquals("i paid 50 in 1990", s.details().get("hypothesis"));
            assertEquals("i paid fifty dollars in nineteen ninety", s.details().get("reference"));
            assertEquals(4 / 7.0, s.value(), 1e-12);
            assertEquals(2, s.details().get("substitutions"));
            assertEquals(2, s.details().get("deletions"));
            assertEquals(0, s.details().get("insertions"));
            assertEquals(new EditCounts(2, 2, 0, 7), WerVerifier.counts(s));
            assertEquals(0.0, english.score(List.of(say(0, target))).getFirst().value(), 1e-12);
            List<Score> batch = english.score(List.of(say(1, target), say(2, "short")));
            assertEquals(3 / 7.0, batch.get(0).value(), 1e-12);
            assertEquals(4.0, batch.get(1).value(), 1e-12, "1 substitution + 3 insertions over 1 word");
        }
    }

    @Test
    void characterErrorRate() {
        try (Verifier cer = Verifiers.create("wer", Map.of("asr", "test-table", "transcripts", List.of("你好世介"),
                "unit", "character"), Path.of("."))) {
            assertEquals("cer", cer.metric());
            assertEquals(0.25, cer.score(List.of(say(0, "你好，世界。"))).getFirst().value(), 1e-12);
        }
    }

    @Test
    void cachedWerDoesNotCallTheBackEndTwice() {
        Verifier v = Verifiers.createCached("wer", Map.of("asr", "test-table", "transcripts", TRANSCRIPTS), Path.of("."), 64);
        int before = TableAsrProvider.TRANSCRIBED.get();
        List<Score> first = v.score(List.of(say(1, "i paid fifty dollars"), say(2, "x")));
        assertEquals(2, TableAsrProvider.TRANSCRIBED.get() - before);
        List<Score> second = v.score(List.of(say(2, "x"), say(1, "i paid fifty dollars")));
        assertEquals(2, TableAsrProvider.TRANSCRIBED.get() - before, "cache hit: the ASR back-end is not called");
        assertEquals(first.get(0), second.get(1));
        v.score(List.of(say(1, "i paid fifty euros")));
        assertEquals(3, TableAsrProvider.TRANSCRIBED.get() - before, "another target text is another key");
        assertInstanceOf(CachingVerifier.class, v);
    }

    @Test
    void missingTargetTextAndUnknownBackEnd() {
        try (Verifier v = Verifiers.create("wer", Map.of("asr", "test-table", "transcripts", TRANSCRIPTS), Path.of("."))) {
            assertThrows(IllegalArgumentException.class, () -> v.score(List.of(Candidate.of(new float[] {0}, null))));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Verifiers.create("wer", Map.of("asr", "nope"), Path.of(".")));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("whisper"), e.getMessage());
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> Verifiers.create("wer", Map.of("asr", "test-table", "normalizer", "fancy"), Path.of(".")));
        assertTrue(n.getMessage().contains("fancy") && n.getMessage().contains("english"), n.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Verifiers.create("wer", Map.of(), Path.of(".")));
        assertTrue(missing.getMessage().contains("'asr'"), missing.getMessage());
    }
}
