package org.llasalab.search;

import java.util.ArrayList;
import java.util.List;
import org.llasalab.lm.Seeds;

/**
 * {@code beam} (process reward): a step is {@code chunk_tokens} speech tokens. The first step expands
 * the prompt into beam_width x expand continuations, later steps each live beam into {@code expand};
 * the step verifier scores the decoded partial audio; the best {@code beam_width} continuations
 * survive (finished ones among them leave the beam, set aside with every other finished one) and the
 * rest are freed. Stops when no beam is live or at max_tokens. The pick verifier chooses among the
 * finished candidates, or among the unfinished ones only when none finished.
 */
public final class BeamStrategy extends AbstractSearch<BeamStrategy.Beam> {
    static final StrategyType<Beam> TYPE = StrategyType.of("beam",
            "step-level beam search guided by the step verifier on partial audio (PRM)",
            Beam.class, "beam_width", BeamStrategy::new);

    /**
     * {@code beam}: step-level (PRM) beam search; a step is {@code chunkTokens} speech tokens; each of
     * {@code beamWidth} live beams gets {@code expand} continuations per step.
     */
    public record Beam(StrategyConfig.Decoding decoding, @Key(dflt = "4", min = 1) int beamWidth,
                       @Key(dflt = "4", min = 1) int expand, @Key(dflt = "50", min = 1) int chunkTokens)
            implements StrategyConfig {
        @Override
        public long parallelSequences() {
            return (long) beamWidth * expand;
        }

        @Override
        public long guideScorings() {
            return StrategyConfig.steps(decoding.maxTokens(), chunkTokens);
        }
    }

    BeamStrategy(Beam config) {
        super(config);
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    void checkGuides(Guides guides) {
        guides.requireStep(type());
    }

    @Override
    SearchOutcome searchOne(SearchRequest r, SearchModels m, Guides g) {
        long t0 = System.nanoTime();
        int width = config.beamWidth();
        int maxTokens = config.decoding().maxTokens();
        Judge judge = new Judge(m.codec());
        try (Rollouts ro = new Rollouts(m, config.decoding().sampling(), maxTokens, width * config.expand(),
                r.promptIds().length)) {
            StepSearch search = new StepSearch(ro, judge, g.step(), r.context(), r.seed());
            List<StepSearch.Node> live = beamSearch(search, ro.start(r.promptIds(), Seeds.derive(r.seed(), ROOT)),
                    width, config.expand(), config.chunkTokens(), maxTokens);
            List<StepSearch.Node> pool = new ArrayList<>(search.finished);
            pool.addAll(live);
            List<ScoredCandidate> candidates = search.candidates(pool, g.pick(), 0);
            for (StepSearch.Node node : live) ro.free(node.seq());
            ComputeLedger ledger = ro.ledger().plus(judge.ledger()).withWallSeconds(seconds(t0));
            return new SearchOutcome(r.id(), type(), Judge.pick(candidates, g.pick()), candidates, ledger);
        }
    }

    /**
     * Runs beam steps from {@code root} until no beam is live or the beams hold {@code limit} tokens;
     * returns the live (unfinished) beams, best first. Finished sequences collect in {@code search.finished}.
     */
    static List<StepSearch.Node> beamSearch(StepSearch search, Rollouts.Seq root, int width, int expand,
                                            int chunkTokens, int limit) {
        List<StepSearch.Node> live = new ArrayList<>();
        List<Rollouts.Seq> parents = List.of(root);
        int perParent = width * expand;
        int generated = 0;
        while (!parents.isEmpty() && generated < limit) {
            int tokens = Math.min(chunkTokens, limit - generated);
            List<Integer> groups = new ArrayList<>();
            for (int i = 0; i < parents.size(); i++) groups.add(i);
            List<StepSearch.Node> step = new ArrayList<>();
            search.expand(parents, groups, perParent, tokens).forEach(step::addAll);
            generated += tokens;
            List<StepSearch.Node> ranked = search.bestFirst(step);
            live = new ArrayList<>();
            for (int i = 0; i < ranked.size(); i++) {
                StepSearch.Node node = ranked.get(i);
                if (node.seq().finished) continue;          // already set aside
                if (i < width) live.add(node);
                else search.rollouts.free(node.seq());      // pruned
            }
            parents = live.stream().map(StepSearch.Node::seq).toList();
            perParent = expand;
        }
        return live;
    }
}
