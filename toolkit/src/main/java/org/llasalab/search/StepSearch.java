package org.llasalab.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.lm.Seeds;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * The machinery of step-level (process reward) search shared by {@code beam}, {@code dvts} and
 * {@code partial_prm_orm}: expand sequences into seeded continuations by forking, advance them one
 * step of speech tokens together, decode the partial audio and score it with the step verifier.
 */
final class StepSearch {

    /** A sequence after a step: its partial audio and the step verifier's score of it. */
    record Node(Rollouts.Seq seq, float[] audio, Score score, int group) {
        double value() {
            return score.value();
        }
    }

    final Rollouts rollouts;
    final Judge judge;
    final Verifier stepVerifier;
    final Candidate context;
    final long seed;
    /** Every sequence that produced the end marker, with its (complete) audio and step score. */
    final List<Node> finished = new ArrayList<>();
    int step;

    StepSearch(Rollouts rollouts, Judge judge, Verifier stepVerifier, Candidate context, long seed) {
        this.rollouts = rollouts;
        this.judge = judge;
        this.stepVerifier = stepVerifier;
        this.context = context;
        this.seed = seed;
    }

    /**
     * One step: each parent is reused as its first continuation and forked {@code perParent - 1}
     * times, every continuation reseeded from (seed, step, group, j); all advance {@code tokens}
     * tokens together; the partial audio of each is decoded and scored. Finished continuations are
     * added to {@link #finished} and returned too. Returns the nodes grouped by parent.
     */
    List<List<Node>> expand(List<Rollouts.Seq> parents, List<Integer> groups, int perParent, int tokens) {
        List<Rollouts.Seq> all = new ArrayList<>();
        List<Integer> groupOf = new ArrayList<>();
        for (int p = 0; p < parents.size(); p++) {
            Rollouts.Seq parent = parents.get(p);
            int group = groups.get(p);
            for (int j = 1; j < perParent; j++) {
                all.add(rollouts.fork(parent, Seeds.derive(seed, AbstractSearch.STEP, step, group, j)));
                groupOf.add(group);
            }
            rollouts.reseed(parent, Seeds.derive(seed, AbstractSearch.STEP, step, group, 0));
            all.add(parent);
            groupOf.add(group);
        }
        rollouts.advance(all, tokens);
        step++;
        List<float[]> audio = List.of(judge.decode(all.stream().map(Rollouts.Seq::codes).toList()));
        List<Score> scores = judge.score(stepVerifier, context, audio);
        Map<Integer, List<Node>> byGroup = new java.util.LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            Node node = new Node(all.get(i), audio.get(i), scores.get(i), groupOf.get(i));
            byGroup.computeIfAbsent(node.group(), k -> new ArrayList<>()).add(node);
            if (node.seq().finished) {
                finished.add(node);
                rollouts.free(node.seq());
            }
        }
        return new ArrayList<>(byGroup.values());
    }

    /** Nodes sorted best first by the step verifier (ties keep their order). */
    List<Node> bestFirst(List<Node> nodes) {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Judge.bestFirst(stepVerifier, Node::value));
        return sorted;
    }

    /**
     * Turns nodes into scored candidates: the step score (of the audio as it stands) plus, when
     * {@code pick} is another verifier, the pick verifier's score of the same audio.
     */
    List<ScoredCandidate> candidates(List<Node> nodes, Verifier pick, int firstIndex) {
        List<Map<String, Score>> maps = new ArrayList<>();
        for (Node node : nodes) {
            Map<String, Score> m = new HashMap<>();
            m.put(stepVerifier.metric(), node.score());
            maps.add(m);
        }
        if (pick != null && pick != stepVerifier && !nodes.isEmpty()) {
            List<Score> scores = judge.score(pick, context, nodes.stream().map(Node::audio).toList());
            for (int i = 0; i < nodes.size(); i++) maps.get(i).put(pick.metric(), scores.get(i));
        }
        List<ScoredCandidate> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            out.add(AbstractSearch.candidate(firstIndex + i, nodes.get(i).seq(), nodes.get(i).audio(), maps.get(i)));
        }
        return out;
    }
}
