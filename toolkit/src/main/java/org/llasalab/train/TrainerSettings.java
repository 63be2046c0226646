package org.llasalab.train;

/**
 * Optimisation settings of one training run.
 *
 * @param batch sequences per batch
 * @param buckets ascending length bounds of the length buckets
 * @param speechTokenBudget stop after this many loss-bearing (speech + end marker) targets
 * @param learningRate peak learning rate
 * @param warmupSteps linear warm-up updates
 * @param schedule the shape after the warm-up ({@link LearningRateSchedule})
 * @param finalLrFraction learning rate at the end, as a fraction of the peak
 * @param decayFraction the share of the updates that a {@code wsd} schedule spends decaying
 * @param weightDecay decoupled weight decay (not applied to norm gains)
 * @param clipNorm global gradient-norm limit ({@code <= 0}: no clipping)
 * @param beta1 Adam beta1
 * @param beta2 Adam beta2
 * @param seed seed of initialisation and data order
 * @param initStd standard deviation of the initial weights
 * @param logInterval updates between log lines and loss.csv rows
 * @param evalInterval updates between held-out evaluations
 * @param checkpointInterval updates between checkpoints
 * @param keepCheckpoints checkpoints kept on disk (oldest removed)
 * @param batchTokens cap on padded tokens per batch (long buckets get fewer sequences); 0 = no cap
 * @param batchAttention cap on sequences x bucket length^2 per batch (bounds the attention tensors, the
 *        largest activations at long buckets); 0 = no cap
 */
public record TrainerSettings(int batch, int[] buckets, long speechTokenBudget, double learningRate, long warmupSteps,
                              LearningRateSchedule.Shape schedule, double finalLrFraction, double decayFraction,
                              double weightDecay, double clipNorm,
                              double beta1, double beta2, long seed, double initStd, int logInterval,
                              int evalInterval, int checkpointInterval, int keepCheckpoints, int batchTokens,
                              long batchAttention) {
    public TrainerSettings {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1");
        if (speechTokenBudget < 1) throw new IllegalArgumentException("token budget must be >= 1");
        if (logInterval < 1 || evalInterval < 1 || checkpointInterval < 1) {
            throw new IllegalArgumentException("log, eval and checkpoint intervals must be >= 1");
        }
        if (keepCheckpoints < 1) throw new IllegalArgumentException("keep_checkpoints must be >= 1");
        if (batchTokens < 0) throw new IllegalArgumentException("batch_tokens must be >= 0");
        if (batchAttention < 0) throw new IllegalArgumentException("batch_attention must be >= 0");
        if (!(decayFraction > 0 && decayFraction <= 1)) throw new IllegalArgumentException("decay_fraction must be in (0, 1]");
        buckets = buckets.clone();
        for (int i = 1; i < buckets.length; i++) {
            if (buckets[i] <= buckets[i - 1]) throw new IllegalArgumentException("buckets must be ascending");
        }
    }

    /** Sensible defaults for tests and small runs. */
    public static TrainerSettings defaults(int batch, long budget) {
        return new TrainerSettings(batch, new int[] {64, 128, 256, 512}, budget, 1e-3, 100,
                LearningRateSchedule.Shape.COSINE, 0.1, 0.2, 0.1, 1.0,
                0.9, 0.95, 1234, 0.02, 10, 200, 200, 2, 0, 0);
    }

    public TrainerSettings withIntervals(int log, int eval, int checkpoint) {
        return new TrainerSettings(batch, buckets, speechTokenBudget, learningRate, warmupSteps, schedule, finalLrFraction,
                decayFraction, weightDecay, clipNorm, beta1, beta2, seed, initStd, log, eval, checkpoint, keepCheckpoints, batchTokens,
                batchAttention);
    }

    public TrainerSettings withLearningRate(double lr, long warmup) {
        return new TrainerSettings(batch, buckets, speechTokenBudget, lr, warmup, schedule, finalLrFraction, decayFraction,
                weightDecay, clipNorm, beta1, beta2, seed, initStd, logInterval, evalInterval, checkpointInterval,
                keepCheckpoints, batchTokens, batchAttention);
    }
}
