package org.llasalab.verifiers.micro;

import java.util.ArrayList;
import java.util.List;

/** Evaluation measures of the micro verifiers. */
public final class MicroMetrics {
    private MicroMetrics() {}

    /** A verification trial: a similarity score and whether both sides share the class (target trial). */
    public record Trial(double score, boolean target) {}

    /**
     * Equal error rate: the rate where false acceptances (non-target trials at or above the threshold)
     * equal false rejections (target trials below it), interpolated between thresholds.
     */
    public static double equalErrorRate(List<Trial> trials) {
        List<Trial> sorted = new ArrayList<>(trials);
        sorted.sort((a, b) -> Double.compare(b.score(), a.score()));
        long targets = sorted.stream().filter(Trial::target).count();
        long nonTargets = sorted.size() - targets;
        if (targets == 0 || nonTargets == 0) throw new IllegalArgumentException("EER needs target and non-target trials");
        // Threshold just below item i: accept items 0..i.
        long acceptedTargets = 0, acceptedNon = 0;
        double prevFar = 0, prevFrr = 1;
        for (Trial t : sorted) {
            if (t.target()) acceptedTargets++; else acceptedNon++;
            double far = acceptedNon / (double) nonTargets;
            double frr = 1 - acceptedTargets / (double) targets;
            if (far >= frr) {
                // Interpolate where far - frr changes sign between the previous and this threshold.
                double d0 = prevFrr - prevFar, d1 = frr - far;
                double w = d0 == d1 ? 0 : d0 / (d0 - d1);
                return prevFar + w * (far - prevFar);
            }
            prevFar = far;
            prevFrr = frr;
        }
        return 0.5;
    }
}
