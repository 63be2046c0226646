package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.llasalab.lm.Generator;
import org.llasalab.lm.LanguageModel;
import org.llasalab.lm.LlamaModel;
import org.llasalab.lm.LogitMask;
import org.llasalab.lm.SamplingParams;
import org.llasalab.lm.SequenceBatch;
import org.llasalab.verify.Candidate;
import org.llasalab.lm.SpeechTokens;

/**
 * The strategies on the real Llama engine: the golden tiny llama3 checkpoint (vocab 512, see
 * src/test/resources/golden/llama/README.md), with ids 256..271 playing the speech tokens and 255 the end marker.
 */
class TinyLlamaSearchTest {
    static final SpeechTokens SPEECH = new SpeechTokens(256, 16, 255);
    static final int[] PROMPT = {1, 17, 42, 99, 128, 7};
    static LlamaModel llama;

    /** The LM, remembering the batches the search opened. */
    static final class Recording implements LanguageModel {
        final List<SequenceBatch> batches = new ArrayList<>();
        @Override public int vocabSize() { return llama.vocabSize(); }
        @Override public long parameterCount() { return llama.parameterCount(); }
        @Override public double flopsPerToken(int context) { return llama.flopsPerToken(context); }
        @Override public SequenceBatch newBatch(int maxSequences, int maxTokens) {
            SequenceBatch b = llama.newBatch(maxSequences, maxTokens);
            batches.add(b);
            return b;
        }
    }

    @BeforeAll
    static void load() throws Exception {
        llama = LlamaModel.load(resource("/golden/llama/tiny-llama3"), 2);
    }

    @AfterAll
    static void close() {
        llama.close();
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(TinyLlamaSearchTest.class.getResource(name).toURI());
    }

    static SearchOutcome run(String type, Map<String, Object> params, Recording lm, Guides g, long seed) {
        SearchRequest r = new SearchRequest("tiny", PROMPT, Candidate.of(null, "tiny"), 0, seed);
        return SearchStrategies.create(type, params)
                .search(List.of(r), new SearchModels(lm, new RampCodec(), SPEECH), g).get(0);
    }

    @Test
    void greedyMatchesArgmaxOverTheSpeechWindowOfTheUncachedForwardPass() {
        SearchOutcome o = run("greedy", Map.of("max_tokens", 12), new Recording(), Guides.none(), 0);
        int[] tokens = PROMPT;
        List<Integer> expected = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            float[][] all = llama.logitsAll(tokens);
            float[] l = all[all.length - 1];
            int best = SPEECH.endId();
            for (int id = SPEECH.offset(); id < SPEECH.offset() + SPEECH.codebookSize(); id++) if (l[id] > l[best]) best = id;
            if (best == SPEECH.endId()) break;
            expected.add(best - SPEECH.offset());
            tokens = Arrays.copyOf(tokens, tokens.length + 1);
            tokens[tokens.length - 1] = best;
        }
        assertTrue(expected.size() >= 3, "too short a path to prove anything: " + expected);
        assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), o.chosen().codes());
    }

    @Test
    void bestOfNSharesOnePrefillAndItsLedgerMatchesTheEngineCounters() {
        Recording lm = new Recording();
        SearchOutcome o = run("best_of_n", Map.of("n", 4, "budgets", List.of(2), "max_tokens", 20), lm,
                Guides.of(TestVerifier.meanLevel()), 3);
        SequenceBatch b = lm.batches.get(0);
        assertEquals(PROMPT.length, b.prefillTokens());
        assertEquals(b.prefillTokens(), o.ledger().prefillTokens());
        assertEquals(b.decodeTokens(), o.ledger().decodeTokens());
        double flops = 0;
        for (int c = 1; c <= PROMPT.length; c++) flops += llama.flopsPerToken(c);
        for (ScoredCandidate c : o.candidates()) {
            for (int t = 1; t < c.tokens(); t++) flops += llama.flopsPerToken(PROMPT.length + t);
        }
        assertEquals(flops, o.ledger().lmFlops(), flops * 1e-12);
        // the first two candidates are those of a run with n = 2: independent of the batch around them
        SearchOutcome two = run("best_of_n", Map.of("n", 2, "max_tokens", 20), new Recording(),
                Guides.of(TestVerifier.meanLevel()), 3);
        for (int i = 0; i < 2; i++) assertArrayEquals(two.candidates().get(i).codes(), o.candidates().get(i).codes());
        assertEquals(two.chosen().index(), o.budget(2).chosen().index());
    }

    @Test
    void beamSearchForksTheEngineCacheInsteadOfRecomputing() {
        Recording lm = new Recording();
        TestVerifier v = TestVerifier.meanLevel();
        SearchOutcome o = run("beam", Map.of("beam_width", 2, "expand", 2, "chunk_tokens", 4, "max_tokens", 16),
                lm, Guides.of(v), 5);
        SequenceBatch b = lm.batches.get(0);
        assertEquals(PROMPT.length, b.prefillTokens(), "one prefill: continuations are forks of the cache");
        assertEquals(b.decodeTokens(), o.ledger().decodeTokens());
        assertEquals(4, v.callSizes.get(0));
        assertFalse(o.candidates().isEmpty());
        // the chosen beam replays exactly: feeding its tokens through a fresh cache gives the same logits path
        SearchOutcome again = run("beam", Map.of("beam_width", 2, "expand", 2, "chunk_tokens", 4, "max_tokens", 16),
                new Recording(), Guides.of(TestVerifier.meanLevel()), 5);
        assertArrayEquals(o.chosen().codes(), again.chosen().codes());
    }

    @Test
    void requestsSharingOneEngineBatchDrawTheSameSpeechAsAlone() {
        List<SearchRequest> requests = new ArrayList<>();
        for (int q = 0; q < 3; q++) {
            int[] prompt = Arrays.copyOf(PROMPT, PROMPT.length + q); // different prompt lengths
            requests.add(new SearchRequest("q" + q, prompt, Candidate.of(null, "tiny"), 0, 40 + q));
        }
        Recording shared = new Recording();
        List<SearchOutcome> together = SearchStrategies.create("sample", Map.of("max_tokens", 12, "batch_requests", 3))
                .search(requests, new SearchModels(shared, new RampCodec(), SPEECH), Guides.none());
        assertEquals(1, shared.batches.size());
        for (int q = 0; q < 3; q++) {
            SearchOutcome alone = SearchStrategies.create("sample", Map.of("max_tokens", 12))
                    .search(List.of(requests.get(q)), new SearchModels(new Recording(), new RampCodec(), SPEECH),
                            Guides.none()).get(0);
            assertArrayEquals(alone.chosen().codes(), together.get(q).chosen().codes(), "request " + q);
            assertEquals(alone.chosen().meanLogProb(), together.get(q).chosen().meanLogProb(), 1e-9);
        }
    }

    /**
     * One seed derivation: for a seed, the engine's plain {@link Generator} (candidate 0 of {@code llasa generate})
     * draws exactly the tokens the {@code sample} strategy (what {@code llasa synth} runs) draws, with a repetition
     * penalty too; another seed draws other tokens.
     */
    @Test
    void theSampleStrategyDrawsWhatTheGeneratorDrawsForTheSameSeed() {
        SamplingParams sampling = new SamplingParams(1.0, 40, 0.95, 0.0, 1.1);
        int end = SPEECH.endId();
        List<int[]> drawn = new ArrayList<>();
        for (long seed : new long[] {3, 4, 5}) {
            SearchRequest r = new SearchRequest("tiny", PROMPT, Candidate.of(null, "tiny"), 0, seed);
            SearchOutcome o = SearchStrategies.create("sample", Map.of("max_tokens", 16), sampling)
                    .search(List.of(r), new SearchModels(new Recording(), new RampCodec(), SPEECH), Guides.none()).get(0);
            Generator.Generation g = Generator.generate(llama, PROMPT, 2, sampling, LogitMask.speech(SPEECH), 16,
                    id -> id == end, seed).get(0);
            int[] ids = g.stopped() ? Arrays.copyOf(g.ids(), g.ids().length - 1) : g.ids();
            int[] codes = Arrays.stream(ids).map(id -> id - SPEECH.offset()).toArray();
            assertArrayEquals(codes, o.chosen().codes(), "seed " + seed);
            assertEquals(g.stopped(), o.chosen().finished(), "seed " + seed);
            assertEquals(g.meanLogProb(), o.chosen().meanLogProb(), 1e-9, "seed " + seed);
            drawn.add(codes);
        }
        assertFalse(Arrays.equals(drawn.get(0), drawn.get(1)) && Arrays.equals(drawn.get(1), drawn.get(2)),
                "three seeds drew the same tokens");
    }
}
