package org.llasalab.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * {@code best_of_n} (outcome reward): prefill once, fork N-1 times, advance all N candidates together
 * by batched steps to the end, decode and score each whole, keep the best by the pick verifier.
 * Smaller budgets k are read off the first k candidates with only their own compute (plus the shared
 * prefill) in their ledger, or, with {@code reuse_prefixes: false}, run separately with their own seeds.
 */
final class BestOfNStrategy extends AbstractSearch<StrategyConfig.BestOfN> {

    BestOfNStrategy(StrategyConfig.BestOfN config) {
        super(config);
    }

    @Override
    public String type() {
        return "best_of_n";
    }

    @Override
    void checkGuides(Guides guides) {
        guides.requirePick(type());
    }

    @Override
    SearchOutcome searchOne(SearchRequest r, SearchModels m, Guides g) {
        int n = config.n();
        Run full = run(r, m, g, n, Seeds.derive(r.seed(), ROOT));
        TreeMap<Integer, SearchOutcome> budgets = new TreeMap<>();
        for (int k : config.budgets()) {
            if (k == n) continue;
            budgets.put(k, config.reusePrefixes() ? full.outcome(k)
                    : run(r, m, g, k, Seeds.derive(r.seed(), BUDGET, k)).outcome(k));
        }
        budgets.put(n, full.outcome(n));
        SearchOutcome main = full.outcome(n);
        return new SearchOutcome(main.requestId(), type(), main.chosen(), main.candidates(), main.ledger(), budgets, null);
    }

    /** The N candidates of one run, with the shared and per-candidate compute. */
    private final class Run {
        final SearchRequest request;
        final Verifier pick;
        final List<ScoredCandidate> candidates = new ArrayList<>();
        final List<ComputeLedger> own = new ArrayList<>();
        ComputeLedger shared;
        double measuredWall;

        Run(SearchRequest request, Verifier pick) {
            this.request = request;
            this.pick = pick;
        }

        /** The outcome had the run stopped after its first {@code k} candidates. */
        SearchOutcome outcome(int k) {
            List<ScoredCandidate> first = candidates.subList(0, k);
            ComputeLedger ledger = shared;
            for (int i = 0; i < k; i++) ledger = ledger.plus(own.get(i));
            ComputeLedger all = shared;
            for (ComputeLedger l : own) all = all.plus(l);
            // wall time cannot be split exactly in a batched run: give budget k its apportioned share
            double wall = all.wallSeconds() > 0 ? measuredWall * ledger.wallSeconds() / all.wallSeconds() : 0;
            if (k == candidates.size()) wall = measuredWall;
            return new SearchOutcome(request.id(), type(), Judge.pick(first, pick), first, ledger.withWallSeconds(wall));
        }
    }

    private Run run(SearchRequest r, SearchModels m, Guides g, int n, long seedBase) {
        long t0 = System.nanoTime();
        Run run = new Run(r, g.pick());
        int maxTokens = config.decoding().maxTokens();
        List<Rollouts.Seq> seqs = new ArrayList<>(n);
        Judge judge = new Judge(m.codec());
        try (Rollouts ro = new Rollouts(m, config.decoding().sampling(), maxTokens, n, r.promptIds().length)) {
            Rollouts.Seq root = ro.start(r.promptIds(), Seeds.derive(seedBase, 0));
            seqs.add(root);
            for (int i = 1; i < n; i++) seqs.add(ro.fork(root, Seeds.derive(seedBase, i)));
            run.shared = new ComputeLedger(ro.prefillTokens, 0, ro.flops, 0, 0, 0, ro.sharedWallSeconds);
            ro.advance(seqs, maxTokens);
            for (Rollouts.Seq s : seqs) ro.free(s);
        }
        List<int[]> codes = seqs.stream().map(Rollouts.Seq::codes).toList();
        List<float[]> audio = List.of(judge.decode(codes));
        double decodeWall = judge.wallSeconds;
        List<Verifier> verifiers = distinct(g.pick(), g.step());
        List<Map<String, Score>> scores = scoreAll(judge, verifiers, r.context(), audio);
        double verifierShare = judge.verifierSeconds / n;
        double audioTotal = judge.codecSeconds;
        for (int i = 0; i < n; i++) {
            Rollouts.Seq s = seqs.get(i);
            double codecSeconds = audio.get(i).length / (double) m.codec().sampleRate();
            double decodeShare = audioTotal > 0 ? decodeWall * codecSeconds / audioTotal : decodeWall / n;
            run.candidates.add(candidate(i, s, audio.get(i), scores.get(i)));
            run.own.add(new ComputeLedger(0, s.ownDecodeTokens, s.ownFlops, codecSeconds, verifiers.size(),
                    verifierShare, s.ownWallSeconds + decodeShare + verifierShare));
        }
        run.measuredWall = seconds(t0);
        return run;
    }
}
