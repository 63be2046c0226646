package org.llasalab.search;

import java.util.List;
import org.llasalab.lm.SamplingParams;

/**
 * {@code sample} and {@code greedy}: one candidate, the baseline every search is compared with.
 * Several requests may share one LM batch ({@code batch_requests}).
 */
final class SampleStrategy extends AbstractSearch<StrategyConfig> {

    SampleStrategy(StrategyConfig config) {
        super(config);
        if (!(config instanceof StrategyConfig.Sample) && !(config instanceof StrategyConfig.Greedy)) {
            throw new IllegalArgumentException("not a sample or greedy config: " + config);
        }
    }

    @Override
    public String type() {
        return config instanceof StrategyConfig.Greedy ? "greedy" : "sample";
    }

    @Override
    void checkGuides(Guides guides) {}

    @Override
    int batchRequests() {
        return config instanceof StrategyConfig.Greedy gr ? gr.batchRequests()
                : ((StrategyConfig.Sample) config).batchRequests();
    }

    @Override
    SearchOutcome searchOne(SearchRequest r, SearchModels m, Guides g) {
        return searchGroup(List.of(r), m, g).get(0);
    }

    @Override
    List<SearchOutcome> searchGroup(List<SearchRequest> group, SearchModels m, Guides g) {
        SamplingParams sampling = config instanceof StrategyConfig.Greedy ? SamplingParams.GREEDY
                : config.decoding().sampling();
        List<Samples.Run> runs = Samples.run(group, 1, (r, i) -> Seeds.derive(r.seed(), ROOT, i), sampling,
                config.decoding().maxTokens(), m, distinct(g.step(), g.pick()));
        return runs.stream().map(run -> new SearchOutcome(run.request().id(), type(), run.candidates().get(0),
                run.candidates(), run.ledger(1))).toList();
    }
}
