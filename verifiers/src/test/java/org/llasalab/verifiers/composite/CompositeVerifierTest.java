package org.llasalab.verifiers.composite;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llasalab.verifiers.composite.CompositeVerifier.Member;
import org.llasalab.verifiers.composite.CompositeVerifier.Mode;
import org.llasalab.verifiers.testing.FirstSampleProvider;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;

class CompositeVerifierTest {
    private static final Path HERE = Path.of(".");

    private static List<Candidate> candidates(float... first) {
        return java.util.stream.IntStream.range(0, first.length)
                .mapToObj(i -> Candidate.of(new float[] {first[i], 0f}, "x")).toList();
    }

    private static double[] values(List<Score> scores) {
        return scores.stream().mapToDouble(Score::value).toArray();
    }

    @Test
    void theRevisionFollowsTheInlineMembers() {
        Map<String, Object> plain = Map.of("members", List.of(Map.of("type", "wer", "asr", "whisper"), "sim"));
        assertEquals("1", Verifiers.version("composite", plain));
        Map<String, Object> micro = Map.of("members", List.of(Map.of("type", "micro-asr", "weight", 2), "sim"));
        assertEquals("2+1", Verifiers.version("composite", micro));
    }

    @Test
    void normalisationIsDirectionAwareAndClamped() {
        Member higher = Member.of("h", FirstSampleProvider.make(false, -1, 1, 1));
        assertEquals(0.0, higher.normalize(-1), 1e-12);
        assertEquals(0.75, higher.normalize(0.5), 1e-12);
        assertEquals(1.0, higher.normalize(7), 1e-12);
        Member wer = Member.of("wer", FirstSampleProvider.make(true, 0, Double.POSITIVE_INFINITY, 1));
        assertEquals(1.0, wer.normalize(0), 1e-12);
        assertEquals(0.8, wer.normalize(0.2), 1e-12);
        assertEquals(0.0, wer.normalize(3), 1e-12, "WER above 1 clamps to worst");
        Member narrowed = new Member("wer", wer.verifier(), 1, 0, 0.5, false);
        assertEquals(0.6, narrowed.normalize(0.2), 1e-12);
    }

    @Test
    void weightedMeanOfNormalisedScores() {
        Verifier up = FirstSampleProvider.make(false, 0, 1, 1);       // first sample, higher better
        Verifier down = FirstSampleProvider.make(true, 0, 2, 2);      // 2 * first sample on [0, 2], lower better
        CompositeVerifier c = new CompositeVerifier(Mode.WEIGHTED,
                List.of(Member.of("up", up).weighted(3), Member.of("down", down).weighted(1)));
        // x = 0.2: up 0.2, down raw 0.4 -> 0.8 ; (3*0.2 + 0.8) / 4 = 0.35
        // x = 0.9: up 0.9, down raw 1.8 -> 0.1 ; (2.7 + 0.1) / 4 = 0.7
        assertArrayEquals(new double[] {0.35, 0.7}, values(c.score(candidates(0.2f, 0.9f))), 1e-6);
        @SuppressWarnings("unchecked")
        Map<String, Object> down0 = (Map<String, Object>) c.score(candidates(0.2f)).getFirst().details().get("down");
        assertEquals(0.4, (Double) down0.get("score"), 1e-6);
        assertEquals(0.8, (Double) down0.get("normalized"), 1e-6);
        assertEquals(Verifier.Direction.HIGHER_IS_BETTER, c.direction());
        assertEquals(1.0, c.max());
    }

    @Test
    void minimumTakesTheWeakestAspect() {
        CompositeVerifier c = new CompositeVerifier(Mode.MINIMUM, List.of(
                Member.of("up", FirstSampleProvider.make(false, 0, 1, 1)),
                Member.of("down", FirstSampleProvider.make(true, 0, 1, 1))));
        assertArrayEquals(new double[] {0.2, 0.5, 0.1}, values(c.score(candidates(0.2f, 0.5f, 0.9f))), 1e-6);
    }

    @Test
    void lexicographicGateThenBest() {
        // gate: "wer" = first sample, lower is better, threshold 0.3; ranker: 1 - first sample... use a second
        // verifier that prefers larger first samples, so the gate and the ranker disagree.
        Verifier wer = FirstSampleProvider.make(true, 0, Double.POSITIVE_INFINITY, 1);
        Verifier sim = FirstSampleProvider.make(false, 0, 1, 1);
        CompositeVerifier c = new CompositeVerifier(Mode.LEXICOGRAPHIC, List.of(Member.of("wer", wer), Member.of("sim", sim)), 0.3);
        double[] s = values(c.score(candidates(0.1f, 0.25f, 0.6f, 0.9f)));
        // 0.1 and 0.25 pass (<= 0.3): 1 + sim; 0.6 and 0.9 fail: normalised wer 0.4 and 0.1
        assertArrayEquals(new double[] {1.1, 1.25, 0.4, 0.1}, s, 1e-6);
        assertEquals(1, argmax(s), "best passing candidate has the best second score");
        double[] none = values(c.score(candidates(0.9f, 0.5f)));
        assertEquals(1, argmax(none), "when none passes, the one closest to passing wins");
        assertEquals(true, c.score(candidates(0.1f)).getFirst().details().get("passed_threshold"));
        assertThrows(IllegalArgumentException.class,
                () -> new CompositeVerifier(Mode.LEXICOGRAPHIC, List.of(Member.of("wer", wer), Member.of("sim", sim))));
    }

    private static int argmax(double[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) if (s[i] > s[best]) best = i;
        return best;
    }

    @Test
    void fromYamlParamsWithInlineAndNamedMembers() {
        Verifier named = FirstSampleProvider.make(false, 0, 1, 1);
        int closedBefore = FirstSampleProvider.CLOSED.get();
        Map<String, Object> params = Map.of(
                "mode", "weighted",
                "members", List.of(
                        Map.of("name", "wer", "type", "wer", "asr", "test-table", "transcripts", List.of("a b", "a c"),
                                "weight", 1, "range", List.of(0, 1)),
                        Map.of("ref", "spk", "weight", 1),
                        Map.of("type", "test-first-sample", "lower_is_better", true, "weight", 2)));
        CompositeVerifier c = CompositeVerifierProvider.fromParams(params, HERE, name -> name.equals("spk") ? named : null);
        assertEquals(List.of("wer", "spk", "test-first-sample"), c.members().stream().map(Member::name).toList());
        List<Candidate> batch = List.of(new Candidate(new float[] {0f}, "a b", null, null, null),
                new Candidate(new float[] {1f}, "a b", null, null, null));
        // x=0: wer 0 -> 1, spk 0, lower-first 0 -> 1 : (1 + 0 + 2) / 4 = 0.75
        // x=1: wer 0.5 -> 0.5, spk 1, lower-first 1 -> 0 : (0.5 + 1 + 0) / 4 = 0.375
        List<Score> s = c.score(batch);
        assertArrayEquals(new double[] {0.75, 0.375}, values(s), 1e-6);
        @SuppressWarnings("unchecked")
        Map<String, Object> werDetails = (Map<String, Object>) ((Map<String, Object>) s.get(1).details().get("wer")).get("details");
        assertEquals("a c", werDetails.get("transcript"));
        c.close();
        assertEquals(closedBefore + 1, FirstSampleProvider.CLOSED.get(), "only the inline member is closed");
    }

    @Test
    void registryTypeRejectsNamedMembersClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Verifiers.create("composite",
                Map.of("members", List.of("sim-o")), HERE));
        assertTrue(e.getMessage().contains("sim-o"), e.getMessage());
        IllegalArgumentException noMembers = assertThrows(IllegalArgumentException.class,
                () -> Verifiers.create("composite", Map.of("mode", "minimum"), HERE));
        assertTrue(noMembers.getMessage().contains("members"), noMembers.getMessage());
        IllegalArgumentException badMode = assertThrows(IllegalArgumentException.class,
                () -> Verifiers.create("composite", Map.of("mode", "average", "members", List.of()), HERE));
        assertTrue(badMode.getMessage().contains("average"), badMode.getMessage());
    }

    @Test
    void inlineLexicographicFromParams() {
        Verifier v = Verifiers.create("composite", Map.of("mode", "lexicographic", "threshold", 0.5, "members", List.of(
                Map.of("type", "test-first-sample", "name", "gate"),
                Map.of("type", "test-first-sample", "name", "rank", "lower_is_better", true))), HERE);
        // gate passes for x >= 0.5 (higher is better); among those, the ranker prefers smaller x
        double[] s = values(v.score(candidates(0.2f, 0.5f, 0.8f)));
        assertArrayEquals(new double[] {0.2, 1.5, 1.2}, s, 1e-6);
    }
}
