package org.llasalab.train;

import java.util.List;

/**
 * Settings of one training run, in the groups a reader looks for: what is trained on (budget, seed,
 * initialisation), how batches are formed, how the optimiser steps, and how often the run reports.
 *
 * @param speechTokenBudget stop after this many loss-bearing (speech + end marker) targets
 * @param seed seed of initialisation and data order
 * @param initStd standard deviation of the initial weights
 * @param batching how sequences are grouped into batches
 * @param optimiser AdamW and its learning-rate schedule
 * @param cadence how often the run logs, evaluates and checkpoints
 */
public record TrainerSettings(long speechTokenBudget, long seed, double initStd, Batching batching, Optimiser optimiser,
                              Cadence cadence) {
    public TrainerSettings {
        if (speechTokenBudget < 1) throw new IllegalArgumentException("token budget must be >= 1");
        if (!(initStd > 0)) throw new IllegalArgumentException("init_std must be > 0");
    }

    /**
     * Length-bucketed batches.
     *
     * @param batch sequences per batch at most
     * @param buckets ascending length bounds of the length buckets
     * @param batchTokens cap on padded tokens per batch (long buckets get fewer sequences); 0 = no cap
     * @param batchAttention cap on sequences x bucket length^2 per batch (bounds the attention tensors, the
     *        largest activations at long buckets); 0 = no cap
     */
    public record Batching(int batch, List<Integer> buckets, int batchTokens, long batchAttention) {
        public Batching {
            if (batch < 1) throw new IllegalArgumentException("batch must be >= 1");
            if (batchTokens < 0) throw new IllegalArgumentException("batch_tokens must be >= 0");
            if (batchAttention < 0) throw new IllegalArgumentException("batch_attention must be >= 0");
            buckets = List.copyOf(buckets);
            for (int i = 1; i < buckets.size(); i++) {
                if (buckets.get(i) <= buckets.get(i - 1)) throw new IllegalArgumentException("buckets must be ascending");
            }
        }
    }

    /**
     * AdamW with decoupled weight decay and global-norm clipping, under a warm-up + schedule learning rate.
     *
     * @param learningRate peak learning rate
     * @param warmupSteps linear warm-up updates
     * @param schedule the shape after the warm-up ({@link LearningRateSchedule})
     * @param finalLrFraction learning rate at the end, as a fraction of the peak
     * @param decayFraction the share of the updates that a {@code wsd} schedule spends decaying
     * @param weightDecay decoupled weight decay (not applied to norm gains)
     * @param clipNorm global gradient-norm limit ({@code <= 0}: no clipping)
     * @param beta1 Adam beta1
     * @param beta2 Adam beta2
     */
    public record Optimiser(double learningRate, long warmupSteps, LearningRateSchedule.Shape schedule,
                            double finalLrFraction, double decayFraction, double weightDecay, double clipNorm,
                            double beta1, double beta2) {
        public Optimiser {
            if (!(learningRate > 0)) throw new IllegalArgumentException("learning_rate must be > 0");
            if (warmupSteps < 0) throw new IllegalArgumentException("warmup_steps must be >= 0");
            if (!(decayFraction > 0 && decayFraction <= 1)) throw new IllegalArgumentException("decay_fraction must be in (0, 1]");
        }

        /** The learning rate per update for a run of {@code plannedSteps} updates. */
        public LearningRateSchedule scheduleOver(long plannedSteps) {
            return new LearningRateSchedule(learningRate, warmupSteps, plannedSteps, finalLrFraction, schedule, decayFraction);
        }

        public AdamW adamW() {
            return new AdamW(beta1, beta2, 1e-8, weightDecay, clipNorm);
        }
    }

    /**
     * Reporting cadence, in updates.
     *
     * @param logInterval updates between log lines and loss.csv rows
     * @param evalInterval updates between held-out evaluations
     * @param checkpointInterval updates between checkpoints
     * @param keepCheckpoints checkpoints kept on disk (oldest removed)
     */
    public record Cadence(int logInterval, int evalInterval, int checkpointInterval, int keepCheckpoints) {
        public Cadence {
            if (logInterval < 1 || evalInterval < 1 || checkpointInterval < 1) {
                throw new IllegalArgumentException("log, eval and checkpoint intervals must be >= 1");
            }
            if (keepCheckpoints < 1) throw new IllegalArgumentException("keep_checkpoints must be >= 1");
        }
    }
}
