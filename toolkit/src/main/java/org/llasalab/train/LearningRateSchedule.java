package org.llasalab.train;

/**
 * Linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then cosine decay to
 * {@code peak * finalFraction} at {@code totalSteps} (constant after). {@code constant} keeps the peak
 * after warm-up.
 */
public record LearningRateSchedule(double peak, long warmupSteps, long totalSteps, double finalFraction, boolean cosine) {
    public LearningRateSchedule {
        if (!(peak > 0)) throw new IllegalArgumentException("learning rate must be > 0: " + peak);
        if (warmupSteps < 0 || totalSteps < 1) throw new IllegalArgumentException("warm-up must be >= 0 and total steps >= 1");
        if (!(finalFraction >= 0 && finalFraction <= 1)) throw new IllegalArgumentException("final fraction must be in [0, 1]");
    }

    /** Learning rate of update {@code step} (0-based). */
    public double at(long step) {
        if (step < warmupSteps) return peak * (step + 1) / (double) warmupSteps;
        if (!cosine) return peak;
        long decaySteps = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (step - warmupSteps) / (double) decaySteps);
        double floor = peak * finalFraction;
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
