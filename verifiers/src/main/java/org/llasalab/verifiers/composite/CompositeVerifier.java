package org.llasalab.verifiers.composite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * Combines several verifiers into one score, higher is better. Each member's score is first mapped to
 * [0, 1] with 1 best: linearly over the member's range ({@code lo..hi}, by default the verifier's own
 * {@link Verifier#min()}..{@link Verifier#max()}; an infinite bound is replaced by one unit from the
 * other, so WER maps 0..1 to 1..0 and clamps above), flipped for lower-is-better verifiers.
 * <ul>
 *   <li>{@link Mode#WEIGHTED}: the weighted mean of normalised scores, range [0, 1].</li>
 *   <li>{@link Mode#MINIMUM}: the smallest normalised score (the weakest aspect decides), [0, 1].</li>
 *   <li>{@link Mode#LEXICOGRAPHIC}: a threshold on the first member, then the best of the second:
 *       candidates whose first score reaches the threshold (in that verifier's own units and direction)
 *       get 1 + the second member's normalised score; the others get the first member's normalised
 *       score, so the best candidate passes the gate if any does. Range [0, 2].</li>
 * </ul>
 * Details hold each member's raw score, normalised score and details under its name.
 */
public final class CompositeVerifier implements Verifier {
    /** How member scores combine. */
    public enum Mode { WEIGHTED, LEXICOGRAPHIC, MINIMUM }

    /**
     * One member: a verifier under a name, with its weight (weighted mode), the range used for
     * normalisation ({@code NaN} for the verifier's own bound) and whether the composite closes it.
     */
    public record Member(String name, Verifier verifier, double weight, double lo, double hi, boolean owned) {
        public Member {
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("composite: member '" + name + "' weight must be >= 0, got " + weight);
            }
        }

        public static Member of(String name, Verifier verifier) {
            return new Member(name, verifier, 1.0, Double.NaN, Double.NaN, false);
        }

        public Member weighted(double w) {
            return new Member(name, verifier, w, lo, hi, owned);
        }

        /** Maps a raw score to [0, 1], 1 best. */
        public double normalize(double value) {
            double low = Double.isNaN(lo) ? verifier.min() : lo;
            double high = Double.isNaN(hi) ? verifier.max() : hi;
            if (Double.isInfinite(low) && Double.isInfinite(high)) {
                throw new IllegalArgumentException("composite: member '" + name + "' has an unbounded range; give it 'range'");
            }
            if (Double.isInfinite(high)) high = low + 1;
            if (Double.isInfinite(low)) low = high - 1;
            double t = (value - low) / (high - low);
            t = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t));
            return verifier.direction() == Direction.HIGHER_IS_BETTER ? t : 1 - t;
        }
    }

    private final Mode mode;
    private final List<Member> members;
    private final double threshold;

    /** A weighted or minimum composite. */
    public CompositeVerifier(Mode mode, List<Member> members) {
        this(mode, members, Double.NaN);
    }

    /** {@code threshold} is used by {@link Mode#LEXICOGRAPHIC} only (a raw score of the first member). */
    public CompositeVerifier(Mode mode, List<Member> members, double threshold) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("composite: no members");
        }
        if (mode == Mode.LEXICOGRAPHIC) {
            if (members.size() != 2) {
                throw new IllegalArgumentException("composite: lexicographic mode takes exactly two members (gate, then ranker), got "
                        + members.size());
            }
            if (Double.isNaN(threshold)) {
                throw new IllegalArgumentException("composite: lexicographic mode needs a threshold on '"
                        + members.getFirst().name() + "'");
            }
        }
        if (mode == Mode.WEIGHTED && members.stream().mapToDouble(Member::weight).sum() <= 0) {
            throw new IllegalArgumentException("composite: weights sum to zero");
        }
        this.mode = mode;
        this.members = List.copyOf(members);
        this.threshold = threshold;
    }

    public Mode mode() {
        return mode;
    }

    public List<Member> members() {
        return members;
    }

    @Override
    public String metric() {
        return "composite";
    }

    @Override
    public Direction direction() {
        return Direction.HIGHER_IS_BETTER;
    }

    @Override
    public double min() {
        return 0;
    }

    @Override
    public double max() {
        return mode == Mode.LEXICOGRAPHIC ? 2 : 1;
    }

    @Override
    public List<Score> score(List<Candidate> batch) {
        List<List<Score>> perMember = new ArrayList<>(members.size());
        for (Member m : members) {
            List<Score> s = m.verifier().score(batch);
            if (s.size() != batch.size()) {
                throw new IllegalStateException("composite: member '" + m.name() + "' returned " + s.size()
                        + " scores for " + batch.size() + " candidates");
            }
            perMember.add(s);
        }
        List<Score> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            double[] raw = new double[members.size()];
            double[] norm = new double[members.size()];
            Map<String, Object> details = new LinkedHashMap<>();
            for (int k = 0; k < members.size(); k++) {
                Member m = members.get(k);
                Score s = perMember.get(k).get(i);
                raw[k] = s.value();
                norm[k] = m.normalize(s.value());
                Map<String, Object> md = new LinkedHashMap<>();
                md.put("score", s.value());
                md.put("normalized", norm[k]);
                md.put("details", s.details());
                details.put(m.name(), md);
            }
            out.add(new Score(combine(raw, norm, details), details));
        }
        return out;
    }

    private double combine(double[] raw, double[] norm, Map<String, Object> details) {
        return switch (mode) {
            case WEIGHTED -> {
                double sum = 0, weights = 0;
                for (int k = 0; k < norm.length; k++) {
                    sum += members.get(k).weight() * norm[k];
                    weights += members.get(k).weight();
                }
                yield sum / weights;
            }
            case MINIMUM -> {
                double min = 1;
                for (double v : norm) min = Math.min(min, v);
                yield min;
            }
            case LEXICOGRAPHIC -> {
                Verifier gate = members.get(0).verifier();
                boolean pass = raw[0] == threshold || gate.better(raw[0], threshold);
                details.put("passed_threshold", pass);
                yield pass ? 1 + norm[1] : norm[0];
            }
        };
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Member m : members) {
            if (!m.owned()) continue;
            try {
                m.verifier().close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
