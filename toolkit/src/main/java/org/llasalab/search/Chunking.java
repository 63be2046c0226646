package org.llasalab.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.llasalab.lm.Seeds;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;

/**
 * Searches a long text chunk by chunk (see {@link TextChunker}) with any strategy: each chunk gets its
 * own prompt from the {@link PromptBuilder}, its own seed, and its own search; the chosen audio of the
 * chunks is joined with a 10 ms cross-fade and scored whole by the guides.
 */
final class Chunking {
    private Chunking() {}

    static SearchOutcome search(AbstractSearch<?> strategy, SearchRequest r, SearchModels m, Guides g) {
        Candidate ctx = r.context();
        if (ctx == null || ctx.targetText() == null) {
            throw new IllegalArgumentException("chunk_text needs the target text of request " + r.id());
        }
        List<String> pieces = TextChunker.split(ctx.targetText());
        if (pieces.size() == 1) return strategy.searchOne(r, m, g);
        if (m.prompts() == null) {
            throw new IllegalArgumentException("chunk_text needs a prompt builder in the search models (request "
                    + r.id() + " has " + pieces.size() + " chunks)");
        }
        int totalChars = pieces.stream().mapToInt(String::length).sum();
        List<SearchOutcome> parts = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            Candidate pieceCtx = new Candidate(null, piece, ctx.promptAudio(), ctx.promptText(), ctx.targetEmotion());
            int expected = (int) Math.round(r.expectedTokens() * (double) piece.length() / totalChars);
            SearchRequest sub = new SearchRequest(r.id() + "#" + i, m.prompts().prompt(r, piece), pieceCtx,
                    expected, Seeds.derive(r.seed(), AbstractSearch.CHUNK, i));
            parts.add(strategy.searchOne(sub, m, g));
        }
        return combine(strategy.type(), r, parts, m, g);
    }

    /** One outcome from the chunks' outcomes; budgets are combined per budget when every chunk has them. */
    static SearchOutcome combine(String type, SearchRequest r, List<SearchOutcome> parts, SearchModels m, Guides g) {
        long t0 = System.nanoTime();
        int fade = (int) Math.round(TextChunker.CROSS_FADE_SECONDS * m.codec().sampleRate());
        float[] audio = TextChunker.crossFade(parts.stream().map(o -> o.chosen().audio()).toList(), fade);
        int[] codes = parts.stream().flatMapToInt(o -> IntStream.of(o.chosen().codes())).toArray();
        int tokens = parts.stream().mapToInt(o -> o.chosen().tokens()).sum();
        double logProb = parts.stream().mapToDouble(o -> o.chosen().meanLogProb() * o.chosen().tokens()).sum();
        boolean finished = parts.stream().allMatch(SearchOutcome::finished);
        Judge judge = new Judge(m.codec());
        Map<String, Score> scores = AbstractSearch.scoreAll(judge, AbstractSearch.distinct(g.pick(), g.step()),
                r.context(), List.of(audio)).get(0);
        ScoredCandidate whole = new ScoredCandidate(0, codes, audio, scores, finished, tokens,
                tokens == 0 ? 0 : logProb / tokens);
        ComputeLedger ledger = judge.ledger();
        for (SearchOutcome o : parts) ledger = ledger.plus(o.ledger());
        ledger = ledger.withWallSeconds(ledger.wallSeconds() + AbstractSearch.seconds(t0));
        TreeMap<Integer, SearchOutcome> budgets = new TreeMap<>();
        for (int k : parts.get(0).budgets().keySet()) {
            if (parts.stream().allMatch(o -> o.budgets().containsKey(k))) {
                budgets.put(k, combine(type, r, parts.stream().map(o -> o.budget(k)).toList(), m, g));
            }
        }
        return new SearchOutcome(r.id(), type, whole, List.of(whole), ledger, budgets, parts);
    }
}
