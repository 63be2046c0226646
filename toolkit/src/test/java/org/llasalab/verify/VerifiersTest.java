package org.llasalab.verify;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiersTest {
    @Test
    void findsProvidersThroughServiceLoader() {
        assertTrue(Verifiers.types().contains("test-energy"), Verifiers.types().toString());
        assertTrue(Verifiers.isType("test-energy"));
        Verifier v = Verifiers.create("test-energy", Map.of("gain", 2), Path.of("."));
        assertEquals(8.0, v.score(List.of(Candidate.of(new float[] {1, 1, -1, 1}, "x"))).getFirst().value(), 1e-9);
    }

    @Test
    void unknownTypeListsKnownTypes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Verifiers.create("no-such-verifier", Map.of(), Path.of(".")));
        assertTrue(e.getMessage().contains("no-such-verifier"), e.getMessage());
        assertTrue(e.getMessage().contains("test-energy"), e.getMessage());
    }

    @Test
    void cacheScoresEachDistinctCandidateOnce() {
        Verifier v = Verifiers.createCached("test-energy", Map.of(), Path.of("."), 100);
        Candidate a = Candidate.of(new float[] {0.5f, 0.5f}, "hello");
        Candidate sameAudioOtherText = Candidate.of(new float[] {0.5f, 0.5f}, "world");
        Candidate withPrompt = new Candidate(new float[] {0.5f, 0.5f}, "hello", new float[] {0.1f}, "p", null);
        Candidate withEmotion = new Candidate(new float[] {0.5f, 0.5f}, "hello", null, null, "happy");
        int before = CountingProvider.SCORED.get();
        List<Score> first = v.score(List.of(a, sameAudioOtherText, withPrompt, withEmotion, a));
        assertEquals(4, CountingProvider.SCORED.get() - before, "duplicate in batch is scored once");
        assertEquals(0.5, first.get(0).value(), 1e-9);
        assertEquals("world", first.get(1).details().get("text"));
        assertEquals(first.get(0), first.get(4));
        List<Score> second = v.score(List.of(Candidate.of(new float[] {0.5f, 0.5f}, "hello"), withEmotion));
        assertEquals(4, CountingProvider.SCORED.get() - before, "second call must not reach the back-end");
        assertEquals(first.get(0), second.get(0));
        Candidate changedAudio = Candidate.of(new float[] {0.5f, 0.25f}, "hello");
        v.score(List.of(changedAudio));
        assertEquals(5, CountingProvider.SCORED.get() - before);
        CachingVerifier cv = (CachingVerifier) v;
        assertEquals(5, cv.misses());
        assertEquals(3, cv.hits());
    }

    @Test
    void cacheKeyIncludesParameters() {
        int before = CountingProvider.SCORED.get();
        Candidate a = Candidate.of(new float[] {1f}, "x");
        Verifier g1 = Verifiers.createCached("test-energy", Map.of("gain", 1), Path.of("."), 10);
        Verifier g3 = Verifiers.createCached("test-energy", Map.of("gain", 3), Path.of("."), 10);
        assertEquals(1.0, g1.score(List.of(a)).getFirst().value(), 1e-9);
        assertEquals(3.0, g3.score(List.of(a)).getFirst().value(), 1e-9);
        assertEquals(2, CountingProvider.SCORED.get() - before);
        assertNotEquals(CachingVerifier.identity("test-energy", Map.of("gain", 1)),
                CachingVerifier.identity("test-energy", Map.of("gain", 3)));
        assertEquals(CachingVerifier.identity("t", Map.of("a", 1, "b", List.of(2, Map.of("c", 3)))),
                CachingVerifier.identity("t", new java.util.TreeMap<>(Map.of("b", List.of(2, Map.of("c", 3)), "a", 1))));
    }

    @Test
    void cacheIsBounded() {
        CachingVerifier v = (CachingVerifier) Verifiers.createCached("test-energy", Map.of(), Path.of("."), 3);
        for (int i = 0; i < 10; i++) {
            v.score(List.of(Candidate.of(new float[] {i}, "x")));
        }
        assertEquals(3, v.size());
        int before = CountingProvider.SCORED.get();
        v.score(List.of(Candidate.of(new float[] {9}, "x")));
        assertEquals(before, CountingProvider.SCORED.get(), "most recent entry is kept");
        v.score(List.of(Candidate.of(new float[] {0}, "x")));
        assertEquals(before + 1, CountingProvider.SCORED.get(), "oldest entry was evicted");
    }

    @Test
    void cacheIsThreadSafe() throws Exception {
        CachingVerifier v = (CachingVerifier) Verifiers.createCached("test-energy", Map.of(), Path.of("."), 1000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> results = new ArrayList<>();
            for (int t = 0; t < 400; t++) {
                int i = t % 50;
                results.add(pool.submit(() -> v.score(List.of(Candidate.of(new float[] {i}, "x"))).getFirst().value()));
            }
            for (int t = 0; t < 400; t++) {
                int i = t % 50;
                assertEquals((double) i * i, results.get(t).get(), 1e-9);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(50, v.size());
        assertEquals(400, v.hits() + v.misses());
    }

    @Test
    void modelFileErrorsNameTheFile(@TempDir Path dir) throws Exception {
        VerifierParams p = new VerifierParams("sim", Map.of("model", "missing.onnx", "dir", "."), dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.modelFile("model"));
        assertTrue(e.getMessage().contains(dir.resolve("missing.onnx").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> p.modelFile("dir"));
        assertTrue(d.getMessage().contains("not a regular file"), d.getMessage());
        Files.writeString(dir.resolve("m.bin"), "x");
        assertEquals(dir.resolve("m.bin"), new VerifierParams("sim", Map.of("model", "m.bin"), dir).modelFile("model"));
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> new VerifierParams("sim", Map.of("k", "abc"), dir).number("k", 1));
        assertTrue(n.getMessage().contains("'k'"), n.getMessage());
    }
}
