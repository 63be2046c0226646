package org.llasalab.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/** What every strategy shares: one request after another, optional text chunking, the pick. */
abstract class AbstractSearch<C extends StrategyConfig> implements SearchStrategy {
    /** Seed phases, so that no two kinds of sequence share a random stream. */
    static final long ROOT = 0, STEP = 1, COMPLETION = 2, CHUNK = 3, BUDGET = 4;

    protected final C config;

    AbstractSearch(C config) {
        this.config = config;
    }

    @Override
    public C config() {
        return config;
    }

    @Override
    public List<SearchOutcome> search(List<SearchRequest> requests, SearchModels models, Guides guides) {
        Guides g = guides == null ? Guides.none() : guides;
        checkGuides(g);
        if (g.step() != null && g.pick() != null && g.step() != g.pick()
                && g.step().metric().equals(g.pick().metric())) {
            throw new IllegalArgumentException("search strategy '" + type() + "': the step and pick verifiers are"
                    + " different but share the metric name '" + g.step().metric() + "'");
        }
        List<SearchOutcome> out = new ArrayList<>(requests.size());
        for (SearchRequest r : requests) {
            if (r.promptIds() == null || r.promptIds().length == 0) {
                throw new IllegalArgumentException("request " + r.id() + " has an empty prompt");
            }
            out.add(config.decoding().chunkText() ? Chunking.search(this, r, models, g) : searchOne(r, models, g));
        }
        return out;
    }

    /** Throws when a verifier this strategy needs is missing. */
    abstract void checkGuides(Guides guides);

    /** Searches one request (or one chunk of it) with its own prompt and seed. */
    abstract SearchOutcome searchOne(SearchRequest request, SearchModels models, Guides guides);

    /** The distinct verifiers among step and pick (those that score complete candidates for reports). */
    static List<Verifier> distinct(Verifier... verifiers) {
        Set<Verifier> set = new LinkedHashSet<>();
        for (Verifier v : verifiers) if (v != null) set.add(v);
        return new ArrayList<>(set);
    }

    /** Scores each audio with every verifier, returning one score map per audio. */
    static List<Map<String, Score>> scoreAll(Judge judge, List<Verifier> verifiers, Candidate context,
                                             List<float[]> audio) {
        List<Map<String, Score>> maps = new ArrayList<>();
        for (int i = 0; i < audio.size(); i++) maps.add(new HashMap<>());
        for (Verifier v : verifiers) {
            List<Score> scores = judge.score(v, context, audio);
            for (int i = 0; i < audio.size(); i++) maps.get(i).put(v.metric(), scores.get(i));
        }
        return maps;
    }

    static ScoredCandidate candidate(int index, Rollouts.Seq s, float[] audio, Map<String, Score> scores) {
        return new ScoredCandidate(index, s.codes(), audio, scores, s.finished, s.generated, s.meanLogProb());
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
