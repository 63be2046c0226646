package org.llasalab.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.lm.SamplingParams;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * Complete independent samples, the work of {@code sample}, {@code greedy} and {@code best_of_n}: for
 * each request of a group, one prefill and {@code n - 1} forks; the sequences of all requests advance
 * together by batched steps; all audio is decoded in one codec call and scored in one call per verifier.
 * Each request's compute is accounted apart: its prefill, and each candidate's own decode, audio and
 * verifier share, so that a prefix of k candidates can be accounted on its own.
 */
final class Samples {

    /** The n candidates of one request, with the compute shared by all and that of each alone. */
    record Run(SearchRequest request, List<ScoredCandidate> candidates, ComputeLedger shared,
               List<ComputeLedger> own, double measuredWall) {

        /** The ledger of the prefix of {@code k} candidates; wall seconds apportioned from the measured wall. */
        ComputeLedger ledger(int k) {
            ComputeLedger ledger = shared;
            for (int i = 0; i < k; i++) ledger = ledger.plus(own.get(i));
            ComputeLedger all = shared;
            for (ComputeLedger l : own) all = all.plus(l);
            if (k == own.size()) return ledger.withWallSeconds(measuredWall);
            // wall time cannot be split exactly in a batched run: give the prefix its apportioned share
            double share = all.wallSeconds() > 0 ? ledger.wallSeconds() / all.wallSeconds() : (double) k / own.size();
            return ledger.withWallSeconds(measuredWall * share);
        }
    }

    private Samples() {}

    /**
     * Runs {@code n} complete samples for every request of {@code group} in one batch.
     *
     * @param seedOf    the seed of candidate i of a request (its results depend on nothing else)
     * @param verifiers the verifiers that score every complete candidate (may be empty)
     */
    static List<Run> run(List<SearchRequest> group, int n, SeedOf seedOf, SamplingParams sampling, int maxTokens,
                         SearchModels m, List<Verifier> verifiers) {
        long t0 = System.nanoTime();
        int longestPrompt = group.stream().mapToInt(r -> r.promptIds().length).max().orElseThrow();
        List<List<Rollouts.Seq>> seqs = new ArrayList<>();
        List<Rollouts.Seq> all = new ArrayList<>();
        try (Rollouts ro = new Rollouts(m, sampling, maxTokens, group.size() * n, longestPrompt)) {
            for (SearchRequest r : group) {
                List<Rollouts.Seq> mine = new ArrayList<>(n);
                Rollouts.Seq root = ro.start(r.promptIds(), seedOf.seed(r, 0));
                mine.add(root);
                for (int i = 1; i < n; i++) mine.add(ro.fork(root, seedOf.seed(r, i)));
                seqs.add(mine);
                all.addAll(mine);
            }
            ro.advance(all, maxTokens);
            for (Rollouts.Seq s : all) ro.free(s);
        }
        Judge judge = new Judge(m.codec());
        List<float[]> audio = List.of(judge.decode(all.stream().map(Rollouts.Seq::codes).toList()));
        double decodeWall = judge.wallSeconds;
        List<Candidate> contexts = new ArrayList<>();
        for (SearchRequest r : group) for (int i = 0; i < n; i++) contexts.add(r.context());
        List<Map<String, Score>> scores = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) scores.add(new HashMap<>());
        for (Verifier v : verifiers) {
            List<Score> s = judge.score(v, contexts, audio);
            for (int i = 0; i < all.size(); i++) scores.get(i).put(v.metric(), s.get(i));
        }
        double verifierShare = judge.verifierSeconds / all.size();
        double audioTotal = judge.codecSeconds;
        double measured = AbstractSearch.seconds(t0);

        List<Run> runs = new ArrayList<>();
        double[] apportioned = new double[group.size()];
        List<List<ComputeLedger>> owns = new ArrayList<>();
        List<ComputeLedger> shareds = new ArrayList<>();
        List<List<ScoredCandidate>> cands = new ArrayList<>();
        int flat = 0;
        for (int g = 0; g < group.size(); g++) {
            Rollouts.Seq root = seqs.get(g).get(0);
            ComputeLedger shared = new ComputeLedger(root.prefillTokens, 0, root.prefillFlops, 0, 0, 0,
                    root.prefillWallSeconds);
            List<ComputeLedger> own = new ArrayList<>();
            List<ScoredCandidate> candidates = new ArrayList<>();
            for (int i = 0; i < n; i++, flat++) {
                Rollouts.Seq s = seqs.get(g).get(i);
                float[] a = audio.get(flat);
                double codecSeconds = a.length / (double) m.codec().sampleRate();
                double decodeShare = audioTotal > 0 ? decodeWall * codecSeconds / audioTotal : decodeWall / all.size();
                candidates.add(AbstractSearch.candidate(i, s, a, scores.get(flat)));
                own.add(new ComputeLedger(0, s.ownDecodeTokens, s.ownFlops, codecSeconds, verifiers.size(),
                        verifierShare, s.ownWallSeconds + decodeShare + verifierShare));
            }
            apportioned[g] = shared.wallSeconds() + own.stream().mapToDouble(ComputeLedger::wallSeconds).sum();
            shareds.add(shared);
            owns.add(own);
            cands.add(candidates);
        }
        double total = java.util.Arrays.stream(apportioned).sum();
        for (int g = 0; g < group.size(); g++) {
            double wall = total > 0 ? measured * apportioned[g] / total : measured / group.size();
            runs.add(new Run(group.get(g), cands.get(g), shareds.get(g), owns.get(g), wall));
        }
        return runs;
    }

    /** The seed of candidate {@code index} of {@code request}. */
    @FunctionalInterface
    interface SeedOf {
        long seed(SearchRequest request, int index);
    }
}
