package org.llasalab.search;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.llasalab.lm.Seeds;

/**
 * {@code best_of_n} (outcome reward): prefill once, fork N-1 times, advance all N candidates together
 * by batched steps to the end, decode and score each whole, keep the best by the pick verifier.
 * Smaller budgets k are read off the first k candidates with only their own compute (plus the shared
 * prefill) in their ledger, or, with {@code reuse_prefixes: false}, run separately with their own seeds.
 * Several requests may share one LM batch ({@code batch_requests}).
 */
public final class BestOfNStrategy extends AbstractSearch<BestOfNStrategy.BestOfN> {
    static final StrategyType<BestOfN> TYPE = StrategyType.of("best_of_n",
            "N complete candidates from one prefill, the best by the pick verifier kept (ORM)",
            BestOfN.class, "n", BestOfNStrategy::new);

    /**
     * {@code best_of_n}: {@code n} candidates from one shared prefill, the best by the verifier kept.
     * {@code budgets}: the smaller N to report too (each at most n; default just n); {@code reusePrefixes}:
     * read them off the first k candidates of the one run (true) or run each budget separately with its own
     * seeds (false); {@code batchRequests}: how many requests share one LM batch (throughput only: results
     * do not depend on it).
     */
    public record BestOfN(StrategyConfig.Decoding decoding, @Key(dflt = "8", min = 1) int n,
                          @Key(min = 1) List<Integer> budgets, @Key(dflt = "true") boolean reusePrefixes,
                          @Key(dflt = "1", min = 1) int batchRequests) implements StrategyConfig {
        public BestOfN {
            budgets = budgets == null ? List.of(n) : List.copyOf(budgets);
            for (int b : budgets) {
                if (b > n) throw new IllegalArgumentException("budgets entries must be <= n (" + n + "), got " + b);
            }
        }

        @Override
        public long parallelSequences() {
            return n;
        }
    }

    BestOfNStrategy(BestOfN config) {
        super(config);
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    void checkGuides(Guides guides) {
        guides.requirePick(type());
    }

    @Override
    int batchRequests() {
        return config.batchRequests();
    }

    @Override
    SearchOutcome searchOne(SearchRequest r, SearchModels m, Guides g) {
        return searchGroup(List.of(r), m, g).get(0);
    }

    @Override
    List<SearchOutcome> searchGroup(List<SearchRequest> group, SearchModels m, Guides g) {
        int n = config.n();
        List<Samples.Run> full = run(group, n, m, g, (r, i) -> Seeds.derive(Seeds.derive(r.seed(), ROOT), i));
        List<SearchOutcome> out = new ArrayList<>();
        for (int q = 0; q < group.size(); q++) {
            TreeMap<Integer, SearchOutcome> budgets = new TreeMap<>();
            for (int k : config.budgets()) {
                if (k == n) continue;
                if (config.reusePrefixes()) {
                    budgets.put(k, outcome(full.get(q), k, g));
                } else {
                    List<Samples.Run> own = run(List.of(group.get(q)), k, m, g,
                            (r, i) -> Seeds.derive(Seeds.derive(r.seed(), BUDGET, k), i));
                    budgets.put(k, outcome(own.get(0), k, g));
                }
            }
            SearchOutcome main = outcome(full.get(q), n, g);
            budgets.put(n, main);
            out.add(new SearchOutcome(main.requestId(), type(), main.chosen(), main.candidates(), main.ledger(),
                    budgets, null));
        }
        return out;
    }

    private List<Samples.Run> run(List<SearchRequest> group, int n, SearchModels m, Guides g, Samples.SeedOf seeds) {
        return Samples.run(group, n, seeds, config.decoding().sampling(), config.decoding().maxTokens(), m,
                distinct(g.pick(), g.step()));
    }

    /** The outcome had the run stopped after its first {@code k} candidates. */
    private SearchOutcome outcome(Samples.Run run, int k, Guides g) {
        List<ScoredCandidate> first = run.candidates().subList(0, k);
        return new SearchOutcome(run.request().id(), type(), Judge.pick(first, g.pick()), first, run.ledger(k));
    }
}
