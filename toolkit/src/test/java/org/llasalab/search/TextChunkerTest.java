package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextChunkerTest {

    @Test
    void followsThePapersRuleForTheNumberOfChunks() {
        assertEquals(1, TextChunker.chunkCount(0));
        assertEquals(1, TextChunker.chunkCount(100));
        assertEquals(2, TextChunker.chunkCount(101));
        assertEquals(2, TextChunker.chunkCount(200));
        assertEquals(3, TextChunker.chunkCount(201));
        assertEquals(5, TextChunker.chunkCount(450));
    }

    @Test
    void splitsAtSentenceEndsNearEqualShares() {
        String text = "The quick brown fox jumps over the lazy dog near the river bank. "
                + "Then it runs away into the forest, where nobody can see it anymore at all. "
                + "Finally the night falls and everything is quiet again in the valley.";
        assertTrue(text.length() > 200 && text.length() <= 300);
        List<String> chunks = TextChunker.split(text);
        assertEquals(List.of("The quick brown fox jumps over the lazy dog near the river bank.",
                "Then it runs away into the forest, where nobody can see it anymore at all.",
                "Finally the night falls and everything is quiet again in the valley."), chunks);
    }

    @Test
    void fallsBackToClausesThenWordsButNeverCutsAWord() {
        String clauses = "one two three four five six seven eight nine ten eleven twelve, thirteen fourteen fifteen "
                + "sixteen seventeen eighteen nineteen twenty twentyone";
        List<String> c = TextChunker.split(clauses);
        assertEquals(2, c.size());
        assertTrue(c.get(0).endsWith("twelve,"), c.get(0));
        String words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma "
                + "tau upsilon phi chi psi omega";
        List<String> w = TextChunker.split(words);
        assertEquals(2, w.size());
        assertEquals(words, String.join(" ", w));
        for (String piece : w) for (String word : piece.split(" ")) assertTrue(words.contains(" " + word + " ")
                || words.startsWith(word + " ") || words.endsWith(" " + word));
        String oneWord = "x".repeat(150);
        assertEquals(List.of(oneWord), TextChunker.split(oneWord), "a single long word is never cut");
    }

    @Test
    void splitsChineseAtSentencePunctuation() {
        String zh = "今天天气很好，我们一起去公园散步吧。".repeat(4) + "公园里有很多人在锻炼身体，也有孩子在玩耍。".repeat(4);
        assertTrue(zh.length() > 100);
        List<String> chunks = TextChunker.split(zh);
        assertEquals(TextChunker.chunkCount(zh.length()), chunks.size());
        assertEquals(zh, String.join("", chunks));
        for (String chunk : chunks.subList(0, chunks.size() - 1)) assertTrue(chunk.endsWith("。"), chunk);
    }

    @Test
    void crossFadesJoinsLinearly() {
        float[] a = {1, 1, 1, 1, 1, 1};
        float[] b = {0, 0, 0, 0, 0};
        float[] out = TextChunker.crossFade(List.of(a, b), 3);
        assertEquals(6 + 5 - 3, out.length);
        assertArrayEquals(new float[] {1, 1, 1, 0.75f, 0.5f, 0.25f, 0, 0}, out, 1e-6f);
        assertEquals(3, TextChunker.crossFade(List.of(new float[2], new float[3]), 160).length,
                "the overlap is at most the shorter segment");
        assertEquals(0, TextChunker.crossFade(List.of(), 160).length);
    }
}
