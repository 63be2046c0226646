package org.llasalab.train;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a {@link LlamaTrainingGraph} on token sequences with {@link AdamW}, a warm-up + cosine schedule and
 * length-bucketed batches; evaluates held-out cross-entropy (computed here from the logits), logs through a
 * {@link TrainingLog}, and saves {@link Checkpoints} that a later run resumes from exactly (weights,
 * optimizer moments, data position, counters).
 *
 * <p>Output folder layout: {@code train.log}, {@code loss.csv} ({@value TrainingLog#CSV_HEADER}),
 * {@code checkpoints/} (see {@link Checkpoints}) and {@code summary.json} (a {@link TrainingSummary} of the
 * newest checkpoint, rewritten at each).
 */
public final class Trainer {
    private static final int GC_INTERVAL = 1;

    private final ModelShape shape;
    private final TrainerSettings settings;
    private final List<TokenSequence> heldout;
    private final Path outDir;
    private final BucketedBatches batches;
    private final LlamaTrainingGraph graph;
    private final AdamW adam;
    private final LearningRateSchedule schedule;
    private final Checkpoints checkpoints;
    private final long plannedSteps;
    private boolean gradientsBuilt;

    // Counters, restored on resume.
    private long step;
    private long tokens;
    private long speechTokens;
    private double flops;
    private double seconds;
    private double lastHeldout = Double.NaN;

    public Trainer(ModelShape shape, TrainerSettings settings, List<TokenSequence> train, List<TokenSequence> heldout,
                   Path outDir) {
        this.shape = shape;
        this.settings = settings;
        this.heldout = List.copyOf(heldout);
        this.outDir = outDir;
        for (TokenSequence s : train) {
            if (s.length() - 1 > shape.maxPositions()) {
                throw new IllegalArgumentException("training sequence of " + s.length() + " tokens exceeds max_positions "
                        + shape.maxPositions());
            }
            for (int id : s.ids()) {
                if (id < 0 || id >= shape.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + shape.vocabSize());
                }
            }
        }
        TrainerSettings.Batching b = settings.batching();
        this.batches = new BucketedBatches(train, b.batch(), b.batchTokens(), b.batchAttention(),
                b.buckets().stream().mapToInt(Integer::intValue).toArray(), settings.seed());
        this.graph = LlamaTrainingGraph.initialise(shape, settings.seed(), settings.initStd());
        this.adam = settings.optimiser().adamW();
        long lossPerEpoch = train.stream().mapToLong(TokenSequence::lossTokens).sum();
        double lossPerBatch = lossPerEpoch / (double) batches.batchesPerEpoch();
        this.plannedSteps = Math.max(1, (long) Math.ceil(settings.speechTokenBudget() / lossPerBatch));
        this.schedule = settings.optimiser().scheduleOver(plannedSteps);
        this.checkpoints = new Checkpoints(outDir, settings.cadence().keepCheckpoints());
    }

    public LlamaTrainingGraph graph() {
        return graph;
    }

    public long step() {
        return step;
    }

    public long tokens() {
        return tokens;
    }

    public long speechTokens() {
        return speechTokens;
    }

    public double flops() {
        return flops;
    }

    public double seconds() {
        return seconds;
    }

    /** Estimated updates to reach the token budget (the length of the cosine schedule). */
    public long plannedSteps() {
        return plannedSteps;
    }

    public double lastHeldoutLoss() {
        return lastHeldout;
    }

    /**
     * Trains until the speech-token budget is reached, or for at most {@code maxSteps} updates in this call.
     * With {@code resume}, first restores the newest checkpoint in the output folder (if there is none, starts
     * afresh). Returns true when the budget is reached.
     */
    public boolean run(boolean resume, long maxSteps) throws IOException {
        Files.createDirectories(outDir);
        try (TrainingLog log = new TrainingLog(outDir)) {
            checkpoints.removeIncomplete();
            if (resume && restoreLatest(log)) {
                log.truncateCurveAfter(step);
            } else {
                log.startCurve();
                log.printf("start: %,d parameters, batch %d, planned %,d updates for %,d speech tokens"
                        + (settings.optimiser().schedule() == LearningRateSchedule.Shape.WSD ? ", learning rate stable until update "
                                + schedule.decayStart() : "") + "%n",
                        shape.parameterCount(), settings.batching().batch(), plannedSteps, settings.speechTokenBudget());
            }
            long stepsThisCall = 0;
            double lossSum = 0;
            long lossTokensSum = 0;
            long windowTokens = 0;
            double windowSeconds = 0;
            while (speechTokens < settings.speechTokenBudget() && stepsThisCall < maxSteps) {
                long start = System.nanoTime();
                List<TokenSequence> sequences = batches.next();
                TrainingBatch batch = new TrainingBatch(shape, sequences, paddedLength(sequences));
                double lr = schedule.at(step);
                OutAndGrad result = gradients(batch);
                double loss = result.getOutputs().get(LlamaTrainingGraph.LOSS).getDouble(0);
                if (!Double.isFinite(loss)) throw new IllegalStateException("loss became " + loss + " at step " + step);
                double gradNorm = adam.update(graph.weights(), result.getGradients(), lr);
                step++;
                stepsThisCall++;
                tokens += batch.tokens();
                speechTokens += batch.lossTokens();
                for (TokenSequence s : sequences) {
                    flops += shape.trainingFlopsPerToken((s.length() - 1) / 2) * (s.length() - 1);
                }
                double dt = (System.nanoTime() - start) / 1e9;
                seconds += dt;
                windowSeconds += dt;
                windowTokens += batch.tokens();
                lossSum += loss * batch.lossTokens();
                lossTokensSum += batch.lossTokens();

                boolean finished = speechTokens >= settings.speechTokenBudget();
                boolean evalNow = step % settings.cadence().evalInterval() == 0 || finished;
                if (evalNow && !heldout.isEmpty()) lastHeldout = heldoutLoss();
                if (step % settings.cadence().logInterval() == 0 || evalNow) {
                    double trainLoss = lossSum / Math.max(1, lossTokensSum);
                    double rate = windowTokens / Math.max(1e-9, windowSeconds);
                    double eta = (settings.speechTokenBudget() - speechTokens) / (double) Math.max(1, speechTokens)
                            * seconds;
                    log.printf("step %d | tokens %,d | speech %,d | loss %.4f%s | lr %.2e | gnorm %.3f | %.0f tok/s"
                                    + " | elapsed %s | ETA %s | T %d B %d | mem %s%n",
                            step, tokens, speechTokens, trainLoss,
                            evalNow && !heldout.isEmpty() ? String.format(" | heldout %.4f", lastHeldout) : "",
                            lr, gradNorm, rate, TrainingLog.duration(seconds), TrainingLog.duration(Math.max(0, eta)),
                            batch.length(), sequences.size(), TrainingLog.memory());
                    log.appendCurve(summary(), trainLoss, evalNow ? lastHeldout : Double.NaN);
                    lossSum = 0;
                    lossTokensSum = 0;
                    windowTokens = 0;
                    windowSeconds = 0;
                }
                if (step % settings.cadence().checkpointInterval() == 0 || finished) saveCheckpoint(log);
                // ND4J frees native buffers when their Java objects are collected; the heap barely grows, so
                // without a nudge the collector rarely runs and native memory piles up.
                if (step % GC_INTERVAL == 0) System.gc();
            }
            boolean done = speechTokens >= settings.speechTokenBudget();
            log.printf(done ? "finished: %d updates, %,d speech tokens, %s%n" : "paused: %d updates, %,d speech tokens, %s%n",
                    step, speechTokens, TrainingLog.duration(seconds));
            return done;
        }
    }

    private OutAndGrad gradients(TrainingBatch batch) {
        if (gradientsBuilt) {
            return graph.sameDiff().calculateGradientsAndOutputs(batch.placeholders(), List.of(LlamaTrainingGraph.LOSS),
                    graph.parameterNames());
        }
        // SameDiff prints a line per differentiated op while it builds the gradient graph: keep the log readable.
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return graph.sameDiff().calculateGradientsAndOutputs(batch.placeholders(), List.of(LlamaTrainingGraph.LOSS),
                    graph.parameterNames());
        } finally {
            System.setOut(out);
            gradientsBuilt = true;
        }
    }

    /** Input positions of a batch: the bound of its length bucket (so each bucket has one shape), at least its longest. */
    int paddedLength(List<TokenSequence> sequences) {
        int longest = 0;
        for (TokenSequence s : sequences) longest = Math.max(longest, s.length());
        for (int bound : settings.batching().buckets()) if (longest <= bound) return Math.min(bound - 1, shape.maxPositions());
        return shape.maxPositions();
    }

    /** Mean cross-entropy per loss-bearing target over the held-out sequences, from the model's logits. */
    public double heldoutLoss() {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < heldout.size(); i += settings.batching().batch()) {
            List<TokenSequence> part = heldout.subList(i, Math.min(heldout.size(), i + settings.batching().batch()));
            TrainingBatch batch = new TrainingBatch(shape, part, paddedLength(part));
            INDArray logits = graph.sameDiff().output(batch.placeholders(), LlamaTrainingGraph.LOGITS)
                    .get(LlamaTrainingGraph.LOGITS);
            double[] result = CrossEntropy.weightedSum(logits, batch.labels(), batch.weights());
            sum += result[0];
            count += (long) result[1];
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    // ---------------------------------------------------------------- checkpoints

    /** The run so far: the counters and the last held-out loss. */
    public TrainingSummary summary() {
        return new TrainingSummary(shape.parameterCount(), step, tokens, speechTokens, flops, seconds, lastHeldout);
    }

    /** Saves a checkpoint and, beside it, the run's summary.json (which thus always describes the newest checkpoint). */
    private void saveCheckpoint(TrainingLog log) throws IOException {
        TrainingSummary summary = summary();
        Path saved = checkpoints.save(new Checkpoints.State(summary, adam.step(), batches.epoch(), batches.index(),
                settings.seed(), plannedSteps), graph.weights(), adam.firstMoments(), adam.secondMoments());
        summary.write(outDir);
        log.printf("checkpoint %s%n", saved);
    }

    /** Restores the newest checkpoint: weights, optimiser moments, counters, data position. False when there is none. */
    private boolean restoreLatest(TrainingLog log) throws IOException {
        Checkpoints.Checkpoint c = checkpoints.latest();
        if (c == null) {
            log.println("resume: no checkpoint in " + checkpoints.dir() + ", starting afresh");
            return false;
        }
        Map<String, INDArray> weights = c.weights();
        for (String name : graph.parameterNames()) {
            INDArray saved = weights.get(name);
            INDArray live = graph.parameter(name);
            if (saved == null || !java.util.Arrays.equals(saved.shape(), live.shape())) {
                throw new IOException(c.dir() + ": checkpoint does not match the model shape (tensor " + name + ")");
            }
            live.assign(saved.castTo(DataType.FLOAT));
        }
        Checkpoints.State state = c.state();
        adam.restore(state.adamStep(), c.firstMoments(), c.secondMoments());
        TrainingSummary s = state.summary();
        step = s.updates();
        tokens = s.tokens();
        speechTokens = s.speechTokens();
        flops = s.flops();
        seconds = s.seconds();
        lastHeldout = s.heldoutLoss();
        batches.seek(state.epoch(), state.batchIndex());
        log.printf("resume: %s (step %d, %,d speech tokens)%n", c.dir(), step, speechTokens);
        long planned = state.plannedSteps() < 0 ? plannedSteps : state.plannedSteps();
        if (planned != plannedSteps) {
            // a changed token budget re-plans the schedule: say what that does to the learning rate here
            LearningRateSchedule before = new LearningRateSchedule(schedule.peak(), schedule.warmupSteps(), planned,
                    schedule.finalFraction(), schedule.shape(), schedule.decayFraction());
            log.printf(java.util.Locale.ROOT, "resume: the token budget now plans %,d updates (the checkpoint's run planned"
                    + " %,d); the learning rate at update %d goes from %.3e to %.3e%s%n", plannedSteps, planned, step,
                    before.at(step), schedule.at(step), before.at(step) < schedule.at(step) ? " (it rises again)" : "");
        }
        return true;
    }
}
