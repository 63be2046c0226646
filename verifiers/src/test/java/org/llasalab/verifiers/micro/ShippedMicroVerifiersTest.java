package org.llasalab.verifiers.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llasalab.dsp.Wav;
import org.llasalab.verifiers.wer.WerVerifier;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;

/**
 * The shipped micro verifiers (catalogue names, toolkit/microworld/verifiers/) load through the verifier
 * registry and score held-out micro-world clips (src/test/resources/micro, see its README) sensibly.
 */
class ShippedMicroVerifiersTest {
    record Clip(String speaker, String style, String text, float[] audio) {}

    static final List<Clip> CLIPS = new ArrayList<>();
    static Path home;

    @BeforeAll
    static void load() throws IOException {
        home = Path.of(System.getProperty("llasa.home"));
        try (InputStream in = ShippedMicroVerifiersTest.class.getResourceAsStream("/micro/testset.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split("\t");
                try (InputStream wav = ShippedMicroVerifiersTest.class.getResourceAsStream("/micro/" + f[0])) {
                    var audio = Wav.parse(Path.of(f[0]), wav.readAllBytes());
                    assertEquals(16000, audio.sampleRate());
                    CLIPS.add(new Clip(f[1], f[2], f[3], audio.samples()));
                }
            }
        }
        assertEquals(6, CLIPS.size());
    }

    private static Clip clip(String speaker, String style) {
        return CLIPS.stream().filter(c -> c.speaker().equals(speaker) && c.style().equals(style)).findFirst().orElseThrow();
    }

    private static double score(Verifier v, Clip candidate, Clip prompt, String targetEmotion) {
        Candidate c = new Candidate(candidate.audio(), candidate.text(), prompt == null ? null : prompt.audio(), null, targetEmotion);
        return v.score(List.of(c)).get(0).value();
    }

    @Test
    void theMicroAsrScoreRevisionIsTheSameUnderBothNames() {
        // revision 2: the decoder keeps the finished words of audio that stops inside a word
        assertEquals("2", Verifiers.version("micro-asr", Map.of()));
        assertEquals("2", Verifiers.version("wer", Map.of("asr", "micro-asr")));
        assertEquals("1", Verifiers.version("wer", Map.of("asr", "whisper")));
        assertEquals("1", Verifiers.version("micro-speaker", Map.of()));
    }

    @Test
    void sameSpeakerAcrossStylesScoresHigherThanOtherSpeakers() {
        try (Verifier v = Verifiers.create("micro-speaker", Map.of(), home)) {
            assertEquals("sim", v.metric());
            Clip usNeutral = clip("us_f2", "neutral"), usSad = clip("us_f2", "sad");
            Clip gbCheerful = clip("gb_m3", "cheerful"), gbAngry = clip("gb_m3", "angry");
            double sameUs = score(v, usNeutral, usSad, null);
            double sameGb = score(v, gbCheerful, gbAngry, null);
            for (Clip other : List.of(gbCheerful, gbAngry, clip("sc_f1", "neutral"), clip("ny_m8", "sad"))) {
                assertTrue(sameUs > score(v, usNeutral, other, null), "us_f2 vs " + other.speaker());
            }
            for (Clip other : List.of(usNeutral, usSad, clip("sc_f1", "neutral"), clip("ny_m8", "sad"))) {
                assertTrue(sameGb > score(v, gbCheerful, other, null), "gb_m3 vs " + other.speaker());
            }
        }
    }

    @Test
    void emotionGivesTheTrueStyleMostProbability() {
        try (Verifier v = Verifiers.create("micro-emotion", Map.of(), home)) {
            int right = 0;
            for (Clip c : CLIPS) {
                Score s = v.score(List.of(new Candidate(c.audio(), c.text(), null, null, c.style()))).get(0);
                if (s.details().get("predicted").equals(c.style())) right++;
                assertTrue(s.value() > 0 && s.value() <= 1);
            }
            assertTrue(right >= 5, right + " of 6 styles recognised");
            // "happy" is the micro world's "cheerful"; without a target, the style cosine with the prompt.
            Clip cheerful = clip("gb_m3", "cheerful");
            assertEquals(score(v, cheerful, null, "cheerful"), score(v, cheerful, null, "happy"), 1e-12);
            assertTrue(score(v, cheerful, cheerful, null) > 0.999);
        }
    }

    @Test
    void asrTranscribesHeldOutSentences() {
        try (Verifier v = Verifiers.create("micro-asr", Map.of(), home);
                Verifier viaWer = Verifiers.create("wer", Map.of("asr", "micro-asr"), home)) {
            assertEquals("wer", v.metric());
            long edits = 0, words = 0;
            for (Clip c : CLIPS) {
                Score s = v.score(List.of(Candidate.of(c.audio(), c.text()))).get(0);
                var counts = WerVerifier.counts(s);
                edits += counts.edits();
                words += counts.referenceLength();
            }
            assertTrue(edits <= 0.2 * words, edits + " word errors in " + words + " words");
            Clip c = CLIPS.get(0);
            assertEquals(v.score(List.of(Candidate.of(c.audio(), c.text()))).get(0).value(),
                    viaWer.score(List.of(Candidate.of(c.audio(), c.text()))).get(0).value(), 1e-12);
            // A wrong target text scores worse than the right one.
            assertTrue(v.score(List.of(Candidate.of(c.audio(), CLIPS.get(1).text()))).get(0).value()
                    > v.score(List.of(Candidate.of(c.audio(), c.text()))).get(0).value());
        }
    }
}
