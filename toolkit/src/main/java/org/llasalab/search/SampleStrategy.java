package org.llasalab.search;

import java.util.List;
import org.llasalab.lm.SamplingParams;
import org.llasalab.lm.Seeds;

/**
 * {@code sample} and {@code greedy}: one candidate, the baseline every search is compared with.
 * Several requests may share one LM batch ({@code batch_requests}).
 */
public final class SampleStrategy extends AbstractSearch<StrategyConfig> {
    static final StrategyType<Sample> SAMPLE = StrategyType.of("sample", "one sampled candidate (the baseline)",
            Sample.class, null, SampleStrategy::new);
    static final StrategyType<Greedy> GREEDY = StrategyType.of("greedy", "one greedy candidate",
            Greedy.class, null, SampleStrategy::new);

    /**
     * {@code sample}: one sampled candidate, the baseline. {@code batchRequests}: how many requests
     * share one LM batch (throughput only: results do not depend on it).
     */
    public record Sample(StrategyConfig.Decoding decoding, @Key(dflt = "1", min = 1) int batchRequests)
            implements StrategyConfig {
        @Override
        public long parallelSequences() {
            return 1;
        }
    }

    /** {@code greedy}: one greedy candidate (the sampling block is ignored); {@code batchRequests} as for sample. */
    public record Greedy(StrategyConfig.Decoding decoding, @Key(dflt = "1", min = 1) int batchRequests)
            implements StrategyConfig {
        @Override
        public long parallelSequences() {
            return 1;
        }
    }

    SampleStrategy(StrategyConfig config) {
        super(config);
        if (!(config instanceof Sample) && !(config instanceof Greedy)) {
            throw new IllegalArgumentException("not a sample or greedy config: " + config);
        }
    }

    @Override
    public String type() {
        return (config instanceof Greedy ? GREEDY : SAMPLE).name();
    }

    @Override
    void checkGuides(Guides guides) {}

    @Override
    int batchRequests() {
        return config instanceof Greedy gr ? gr.batchRequests() : ((Sample) config).batchRequests();
    }

    @Override
    SearchOutcome searchOne(SearchRequest r, SearchModels m, Guides g) {
        return searchGroup(List.of(r), m, g).get(0);
    }

    @Override
    List<SearchOutcome> searchGroup(List<SearchRequest> group, SearchModels m, Guides g) {
        SamplingParams sampling = config instanceof Greedy ? SamplingParams.GREEDY
                : config.decoding().sampling();
        List<Samples.Run> runs = Samples.run(group, 1, (r, i) -> Seeds.derive(r.seed(), ROOT, i), sampling,
                config.decoding().maxTokens(), m, distinct(g.step(), g.pick()));
        return runs.stream().map(run -> new SearchOutcome(run.request().id(), type(), run.candidates().get(0),
                run.candidates(), run.ledger(1))).toList();
    }
}
