package org.llasalab.search;

import java.util.ArrayList;
import java.util.List;
import org.llasalab.lm.Seeds;
import org.llasalab.verify.Score;

/**
 * {@code partial_prm_orm}, the paper's best combination: beam search guided by the step verifier
 * (e.g. speaker similarity) for the first {@code prm_tokens} tokens (or {@code prm_fraction} of the
 * request's expected length), then every surviving beam is completed with {@code orm_n} samples and
 * the pick verifier (e.g. WER) chooses among all complete candidates, those that finished during the
 * PRM part included.
 */
public final class PartialPrmOrmStrategy extends AbstractSearch<PartialPrmOrmStrategy.PartialPrmOrm> {
    static final StrategyType<PartialPrmOrm> TYPE = StrategyType.of("partial_prm_orm",
            "PRM beam search for the first part, then orm_n completions per beam picked by the pick verifier",
            PartialPrmOrm.class, "beam_width", PartialPrmOrmStrategy::new);

    /**
     * {@code partial_prm_orm}: beam search guided by the step verifier for the first {@code prmTokens}
     * tokens (or {@code prmFraction} of the request's expected length, when given and known), then
     * every surviving beam completed with {@code ormN} samples, the final pick made by the pick verifier.
     * {@code prmFraction} is 0 when not set.
     */
    @NeedsOneOf(keys = {"prm_tokens", "prm_fraction"}, why = "how much of the utterance the PRM guides")
    public record PartialPrmOrm(StrategyConfig.Decoding decoding, @Key(dflt = "4", min = 1) int beamWidth,
                                @Key(dflt = "4", min = 1) int expand, @Key(dflt = "50", min = 1) int chunkTokens,
                                @Key(dflt = "100", min = 1) int prmTokens,
                                @Key(dflt = "0", min = 0, max = 1, positiveWhenGiven = true) double prmFraction,
                                @Key(dflt = "4", min = 1) int ormN) implements StrategyConfig {
        /** Tokens of the PRM phase for a request expecting {@code expectedTokens} (0: unknown). */
        public int prmTokensFor(int expectedTokens) {
            if (prmFraction > 0 && expectedTokens > 0) {
                return Math.max(1, (int) Math.round(prmFraction * expectedTokens));
            }
            return prmTokens;
        }

        /** Beams x the larger of the PRM phase's expansion and the ORM phase's completions. */
        @Override
        public long parallelSequences() {
            return (long) beamWidth * Math.max(expand, ormN);
        }

        /** Each PRM step, then the final (ORM) pick. */
        @Override
        public long guideScorings() {
            return StrategyConfig.steps(decoding.maxTokens(), chunkTokens) + 1;
        }
    }

    PartialPrmOrmStrategy(PartialPrmOrm config) {
        super(config);
    }

    @Override
    public String type() {
        return TYPE.name();
    }

    @Override
    void checkGuides(Guides guides) {
        guides.requireStep(type());
        guides.requirePick(type());
    }

    @Override
    SearchOutcome searchOne(SearchRequest r, SearchModels m, Guides g) {
        long t0 = System.nanoTime();
        int width = config.beamWidth();
        int maxTokens = config.decoding().maxTokens();
        int prmTokens = Math.min(maxTokens, config.prmTokensFor(r.expectedTokens()));
        int capacity = width * Math.max(config.expand(), config.ormN());
        Judge judge = new Judge(m.codec());
        try (Rollouts ro = new Rollouts(m, config.decoding().sampling(), maxTokens, capacity, r.promptIds().length)) {
            StepSearch search = new StepSearch(ro, judge, g.step(), r.context(), r.seed());
            List<StepSearch.Node> live = BeamStrategy.beamSearch(search,
                    ro.start(r.promptIds(), Seeds.derive(r.seed(), ROOT)), width, config.expand(),
                    config.chunkTokens(), prmTokens);
            // the boundary: complete every surviving beam with orm_n samples (a beam already at
            // max_tokens, when the PRM part covers everything, stays a candidate as it is)
            List<StepSearch.Node> cutOff = live.stream().filter(n -> n.seq().generated >= maxTokens).toList();
            live = live.stream().filter(n -> n.seq().generated < maxTokens).toList();
            for (StepSearch.Node node : cutOff) ro.free(node.seq());
            List<Rollouts.Seq> completions = new ArrayList<>();
            for (int b = 0; b < live.size(); b++) {
                Rollouts.Seq beam = live.get(b).seq();
                for (int j = 1; j < config.ormN(); j++) {
                    completions.add(ro.fork(beam, Seeds.derive(r.seed(), COMPLETION, b, j)));
                }
                ro.reseed(beam, Seeds.derive(r.seed(), COMPLETION, b, 0));
                completions.add(beam);
            }
            ro.advance(completions, maxTokens);
            for (Rollouts.Seq s : completions) ro.free(s);
            List<float[]> audio = List.of(judge.decode(completions.stream().map(Rollouts.Seq::codes).toList()));
            List<Score> pickScores = judge.score(g.pick(), r.context(), audio);

            List<StepSearch.Node> prmCandidates = new ArrayList<>(search.finished);
            prmCandidates.addAll(cutOff);
            List<ScoredCandidate> candidates = new ArrayList<>(search.candidates(prmCandidates, g.pick(), 0));
            for (int i = 0; i < completions.size(); i++) {
                candidates.add(candidate(candidates.size(), completions.get(i), audio.get(i),
                        java.util.Map.of(g.pick().metric(), pickScores.get(i))));
            }
            ComputeLedger ledger = ro.ledger().plus(judge.ledger()).withWallSeconds(seconds(t0));
            return new SearchOutcome(r.id(), type(), Judge.pick(candidates, g.pick()), candidates, ledger);
        }
    }
}
