package org.llasalab.search;

import java.util.List;
import java.util.Map;
import org.llasalab.lm.SamplingParams;
import org.llasalab.verify.Score;

/** {@code sample} and {@code greedy}: one candidate, the baseline every search is compared with. */
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
    SearchOutcome searchOne(SearchRequest r, SearchModels m, Guides g) {
        long t0 = System.nanoTime();
        SamplingParams sampling = config instanceof StrategyConfig.Greedy ? SamplingParams.GREEDY
                : config.decoding().sampling();
        int maxTokens = config.decoding().maxTokens();
        try (Rollouts ro = new Rollouts(m, sampling, maxTokens, 1, r.promptIds().length)) {
            Rollouts.Seq s = ro.start(r.promptIds(), Seeds.derive(r.seed(), ROOT, 0));
            ro.advance(List.of(s), maxTokens);
            ro.free(s);
            Judge judge = new Judge(m.codec());
            float[] audio = judge.decode(List.of(s.codes()))[0];
            Map<String, Score> scores = scoreAll(judge, distinct(g.step(), g.pick()), r.context(), List.of(audio)).get(0);
            ScoredCandidate c = candidate(0, s, audio, scores);
            ComputeLedger ledger = ro.ledger().plus(judge.ledger()).withWallSeconds(seconds(t0));
            return new SearchOutcome(r.id(), type(), c, List.of(c), ledger);
        }
    }
}
