package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.llasalab.verify.Candidate;

class ChunkingTest {
    private static final String TEXT = "This first sentence is long enough to fill most of one chunk of text. "
            + "And the second sentence here makes the whole text longer than one hundred characters.";

    @Test
    void searchesEachChunkWithItsOwnPromptAndJoinsTheAudioWithACrossFade() {
        List<String> prompted = new ArrayList<>();
        PromptBuilder prompts = (request, text) -> {
            prompted.add(text);
            return new int[] {0, 1, text.length() % 4};
        };
        TestVerifier v = TestVerifier.meanLevel();
        SearchModels models = new SearchModels(BigramLm.typical(), new RampCodec(), BigramLm.SPEECH, prompts);
        SearchRequest r = new SearchRequest("long", Fixtures.PROMPT, Candidate.of(null, TEXT), 100, 4);
        SearchOutcome o = SearchStrategies.create("best_of_n", Map.of("n", 3, "budgets", List.of(1), "max_tokens", 60,
                "chunk_text", true)).search(List.of(r), models, Guides.of(v)).get(0);

        assertEquals(TextChunker.split(TEXT), prompted);
        assertEquals(2, o.chunks().size());
        assertEquals(List.of("long#0", "long#1"), o.chunks().stream().map(SearchOutcome::requestId).toList());
        int[] codes = o.chunks().stream().flatMapToInt(c -> IntStream.of(c.chosen().codes())).toArray();
        assertArrayEquals(codes, o.chosen().codes());
        int joined = o.chunks().stream().mapToInt(c -> c.chosen().audio().length).sum() - 160;
        assertEquals(joined, o.chosen().audio().length);
        assertTrue(v.seenTexts.containsAll(prompted), "each chunk is judged against its own text");
        assertEquals(TEXT, v.seenTexts.get(v.seenTexts.size() - 1), "the joined audio is judged against the whole text");
        assertEquals(TestVerifier.mean(o.chosen().audio()), o.chosen().score("level"), 1e-9);
        ComputeLedger sum = o.chunks().get(0).ledger().plus(o.chunks().get(1).ledger());
        assertEquals(sum.decodeTokens(), o.ledger().decodeTokens());
        assertEquals(sum.verifierCalls() + 1, o.ledger().verifierCalls());
        assertEquals(List.of(1, 3), List.copyOf(o.budgets().keySet()));
        assertEquals(2, o.budget(1).chunks().size());
        assertEquals(1, o.budget(1).chunks().get(0).candidates().size());
    }

    @Test
    void shortTextsAreSearchedWhole() {
        SearchRequest r = new SearchRequest("short", Fixtures.PROMPT, Candidate.of(null, "short text"), 0, 4);
        SearchOutcome o = SearchStrategies.create("sample", Map.of("chunk_text", true, "max_tokens", 40))
                .search(List.of(r), Fixtures.models(BigramLm.typical()), Guides.none()).get(0);
        assertTrue(o.chunks().isEmpty());
    }

    @Test
    void chunkingALongTextNeedsAPromptBuilder() {
        SearchRequest r = new SearchRequest("long", Fixtures.PROMPT, Candidate.of(null, TEXT), 0, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> SearchStrategies.create("sample",
                Map.of("chunk_text", true)).search(List.of(r), Fixtures.models(BigramLm.typical()), Guides.none()));
        assertTrue(e.getMessage().contains("prompt builder") && e.getMessage().contains("long"), e.getMessage());
    }
}
