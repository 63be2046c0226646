package org.llasalab.search;

import java.util.ArrayList;
import java.util.List;
import org.llasalab.lm.Seeds;

/**
 * {@code dvts} (diverse verifier tree search): the prompt is prefilled once and forked into
 * n / beam_width independent subtrees; every step each subtree's sequence is expanded into
 * {@code beam_width} continuations and only its best (by the step verifier) is kept. A subtree ends
 * when its best continuation finished. Every finished continuation is a candidate; the pick verifier
 * chooses among FINISHED ones only, falling back to the unfinished (flagged) when none finished.
 */
public final class DvtsStrategy extends AbstractSearch<DvtsStrategy.Dvts> {
    static final StrategyType<Dvts> TYPE = StrategyType.of("dvts",
            "diverse verifier tree search: n / beam_width independent subtrees (PRM)",
            Dvts.class, "n", DvtsStrategy::new);

    /**
     * {@code dvts}: {@code n / beamWidth} independent subtrees, each expanded into {@code beamWidth}
     * continuations per step of {@code chunkTokens} tokens, keeping its best one.
     */
    public record Dvts(StrategyConfig.Decoding decoding, @Key(dflt = "16", min = 1) int n,
                       @Key(dflt = "4", min = 1) int beamWidth, @Key(dflt = "50", min = 1) int chunkTokens)
            implements StrategyConfig {
        public Dvts {
            if (n % beamWidth != 0 || n < beamWidth) {
                throw new IllegalArgumentException("n (" + n + ") must be a positive multiple of beam_width ("
                        + beamWidth + ")");
            }
        }

        public int subtrees() {
            return n / beamWidth;
        }

        @Override
        public long parallelSequences() {
            return n;
        }

        @Override
        public long guideScorings() {
            return StrategyConfig.steps(decoding.maxTokens(), chunkTokens);
        }
    }

    DvtsStrategy(Dvts config) {
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
        int subtrees = config.subtrees();
        int maxTokens = config.decoding().maxTokens();
        Judge judge = new Judge(m.codec());
        try (Rollouts ro = new Rollouts(m, config.decoding().sampling(), maxTokens, config.n(), r.promptIds().length)) {
            StepSearch search = new StepSearch(ro, judge, g.step(), r.context(), r.seed());
            Rollouts.Seq root = ro.start(r.promptIds(), Seeds.derive(r.seed(), ROOT));
            List<Rollouts.Seq> parents = new ArrayList<>();
            List<Integer> groups = new ArrayList<>();
            parents.add(root);
            groups.add(0);
            for (int t = 1; t < subtrees; t++) {
                parents.add(ro.fork(root, Seeds.derive(r.seed(), ROOT, t)));
                groups.add(t);
            }
            List<StepSearch.Node> leaves = new ArrayList<>();
            int generated = 0;
            while (!parents.isEmpty() && generated < maxTokens) {
                int tokens = Math.min(config.chunkTokens(), maxTokens - generated);
                List<List<StepSearch.Node>> bySubtree = search.expand(parents, groups, config.beamWidth(), tokens);
                generated += tokens;
                parents = new ArrayList<>();
                groups = new ArrayList<>();
                leaves = new ArrayList<>();
                for (List<StepSearch.Node> subtree : bySubtree) {
                    List<StepSearch.Node> ranked = search.bestFirst(subtree);
                    StepSearch.Node best = ranked.get(0);
                    for (StepSearch.Node node : ranked) {
                        if (node != best && !node.seq().finished) ro.free(node.seq());
                    }
                    if (!best.seq().finished) {
                        leaves.add(best);
                        parents.add(best.seq());
                        groups.add(best.group());
                    }
                }
            }
            List<StepSearch.Node> pool = new ArrayList<>(search.finished);
            pool.addAll(leaves); // unfinished leaves at max_tokens: chosen only when nothing finished
            List<ScoredCandidate> candidates = search.candidates(pool, g.pick(), 0);
            for (StepSearch.Node leaf : leaves) ro.free(leaf.seq());
            ComputeLedger ledger = ro.ledger().plus(judge.ledger()).withWallSeconds(seconds(t0));
            return new SearchOutcome(r.id(), type(), Judge.pick(candidates, g.pick()), candidates, ledger);
        }
    }
}
