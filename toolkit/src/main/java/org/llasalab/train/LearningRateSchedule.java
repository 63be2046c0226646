package org.llasalab.train;

/**
 * Learning rate by update: a linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then
 * <ul>
 *   <li>{@link Shape#COSINE}: cosine decay to {@code peak * finalFraction} at {@code totalSteps};</li>
 *   <li>{@link Shape#CONSTANT}: the peak;</li>
 *   <li>{@link Shape#WSD} (warm-up, stable, decay): the peak until the last {@code decayFraction} of
 *       {@code totalSteps}, then a linear decay to {@code peak * finalFraction}. Its stable phase does
 *       not depend on the budget, so a run resumed with a larger token budget from a checkpoint before
 *       the decay continues as if it had been planned that long from the start.</li>
 * </ul>
 * Constant at the final value after {@code totalSteps}.
 */
public record LearningRateSchedule(double peak, long warmupSteps, long totalSteps, double finalFraction, Shape shape,
        double decayFraction) {
    public enum Shape { COSINE, CONSTANT, WSD }

    public LearningRateSchedule {
        if (!(peak > 0)) throw new IllegalArgumentException("learning rate must be > 0: " + peak);
        if (warmupSteps < 0 || totalSteps < 1) throw new IllegalArgumentException("warm-up must be >= 0 and total steps >= 1");
        if (!(finalFraction >= 0 && finalFraction <= 1)) throw new IllegalArgumentException("final fraction must be in [0, 1]");
        if (!(decayFraction > 0 && decayFraction <= 1)) throw new IllegalArgumentException("decay fraction must be in (0, 1]");
    }

    /** The first update of the decay: after the warm-up for cosine, {@code totalSteps} for constant. */
    public long decayStart() {
        return switch (shape) {
            case COSINE -> warmupSteps;
            case CONSTANT -> totalSteps;
            case WSD -> Math.max(warmupSteps, totalSteps - Math.round(decayFraction * totalSteps));
        };
    }

    /** Learning rate of update {@code step} (0-based). */
    public double at(long step) {
        if (step < warmupSteps) return peak * (step + 1) / (double) warmupSteps;
        if (shape == Shape.CONSTANT) return peak;
        long start = decayStart();
        if (step < start) return peak;
        double progress = Math.min(1.0, (step - start) / (double) Math.max(1, totalSteps - start));
        double floor = peak * finalFraction;
        return shape == Shape.COSINE ? floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress))
                : peak - (peak - floor) * progress;
    }
}
