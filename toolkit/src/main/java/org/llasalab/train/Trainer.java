package org.llasalab.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a {@link LlamaTrainingGraph} on token sequences with {@link AdamW}, a warm-up + cosine schedule and
 * length-bucketed batches; evaluates held-out cross-entropy (computed here from the logits), logs to
 * {@code train.log} and {@code loss.csv} in the output folder, and writes checkpoints that a later run
 * resumes from exactly (weights, optimizer moments, data position, counters).
 *
 * <p>Output folder layout: {@code train.log}, {@code loss.csv}
 * ({@code step,tokens,flops,train_loss,heldout_loss,seconds,speech_tokens}), {@code checkpoints/step-NNNNNNNN/}
 * ({@code weights.safetensors}, {@code adam_m.safetensors}, {@code adam_v.safetensors}, {@code state.json})
 * and {@code checkpoints/latest} (the name of the newest complete checkpoint).
 */
public final class Trainer {
    public static final String CSV_HEADER = "step,tokens,flops,train_loss,heldout_loss,seconds,speech_tokens";
    private static final int GC_INTERVAL = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelShape shape;
    private final TrainerSettings settings;
    private final List<TokenSequence> heldout;
    private final Path outDir;
    private final BucketedBatches batches;
    private final LlamaTrainingGraph graph;
    private final AdamW adam;
    private final LearningRateSchedule schedule;
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
        try (PrintStream log = openLog()) {
            removeIncompleteCheckpoints();
            if (resume && restoreLatest(log)) {
                truncateCsvAfter(step);
            } else {
                Files.writeString(outDir.resolve("loss.csv"), CSV_HEADER + "\n", StandardCharsets.UTF_8);
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
                            lr, gradNorm, rate, duration(seconds), duration(Math.max(0, eta)), batch.length(),
                            sequences.size(), memory());
                    appendCsv(trainLoss, evalNow ? lastHeldout : Double.NaN);
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
                    step, speechTokens, duration(seconds));
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

    // ---------------------------------------------------------------- logging

    private PrintStream openLog() throws IOException {
        OutputStream file = Files.newOutputStream(outDir.resolve("train.log"), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        PrintStream console = System.out;
        return new PrintStream(new OutputStream() { // every line goes to the file (flushed) and the console
            @Override
            public void write(int b) throws IOException {
                file.write(b);
                console.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                file.write(b, off, len);
                console.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                file.flush();
                console.flush();
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        }, true, StandardCharsets.UTF_8);
    }

    private void appendCsv(double trainLoss, double heldoutLoss) throws IOException {
        String row = String.format(java.util.Locale.ROOT, "%d,%d,%.6e,%.6f,%s,%.2f,%d%n", step, tokens, flops, trainLoss,
                Double.isNaN(heldoutLoss) ? "" : String.format(java.util.Locale.ROOT, "%.6f", heldoutLoss), seconds,
                speechTokens);
        Files.writeString(outDir.resolve("loss.csv"), row, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private void truncateCsvAfter(long lastStep) throws IOException {
        Path csv = outDir.resolve("loss.csv");
        List<String> kept = new ArrayList<>();
        kept.add(CSV_HEADER);
        if (Files.exists(csv)) {
            int columns = CSV_HEADER.split(",").length;
            for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("step")) continue;
                if (Long.parseLong(line.substring(0, line.indexOf(','))) > lastStep) continue;
                // rows of an older trainer lack the trailing speech_tokens column: left empty (unknown)
                kept.add(line + ",".repeat(Math.max(0, columns - line.split(",", -1).length)));
            }
        }
        writeAtomically(csv, (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Resident memory of the process and native bytes held by ND4J buffers (JavaCPP's count). */
    static String memory() {
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave unknown
        }
        return String.format("rss %s native %s", rss < 0 ? "?" : mb(rss), mb(org.bytedeco.javacpp.Pointer.totalBytes()));
    }

    private static String mb(long bytes) {
        return String.format("%.0fM", bytes / 1048576.0);
    }

    static String duration(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60) : String.format("%dm%02ds", t / 60, t % 60);
    }

    // ---------------------------------------------------------------- checkpoints

    private Path checkpointsDir() {
        return outDir.resolve("checkpoints");
    }

    /** Writes a complete checkpoint folder under a temporary name, then renames it and updates {@code latest}. */
    private void saveCheckpoint(PrintStream log) throws IOException {
        Path dir = checkpointsDir();
        Files.createDirectories(dir);
        String name = String.format("step-%08d", step);
        Path tmp = Files.createTempDirectory(dir, name + ".tmp");
        F32TensorFile.write(tmp.resolve("weights.safetensors"), graph.weights());
        F32TensorFile.write(tmp.resolve("adam_m.safetensors"), adam.firstMoments());
        F32TensorFile.write(tmp.resolve("adam_v.safetensors"), adam.secondMoments());
        ObjectNode state = JSON.createObjectNode();
        state.put("step", step).put("adam_step", adam.step()).put("tokens", tokens).put("speech_tokens", speechTokens)
                .put("flops", flops).put("seconds", seconds).put("epoch", batches.epoch())
                .put("batch_index", batches.index()).put("heldout_loss", lastHeldout).put("seed", settings.seed())
                .put("parameters", shape.parameterCount()).put("planned_steps", plannedSteps);
        Files.write(tmp.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        Path target = dir.resolve(name);
        if (Files.exists(target)) deleteTree(target);
        move(tmp, target);
        writeAtomically(dir.resolve("latest"), (name + "\n").getBytes(StandardCharsets.UTF_8));
        log.printf("checkpoint %s%n", target);
        try (Stream<Path> old = Files.list(dir)) {
            List<Path> complete = old.filter(p -> p.getFileName().toString().matches("step-\\d{8}"))
                    .sorted(Comparator.reverseOrder()).toList();
            for (int i = settings.cadence().keepCheckpoints(); i < complete.size(); i++) deleteTree(complete.get(i));
        }
    }

    /** Deletes checkpoint folders left half-written by a run killed while saving. */
    private void removeIncompleteCheckpoints() throws IOException {
        if (!Files.isDirectory(checkpointsDir())) return;
        try (Stream<Path> all = Files.list(checkpointsDir())) {
            for (Path p : all.filter(p -> p.getFileName().toString().contains(".tmp")).toList()) {
                if (Files.isDirectory(p)) deleteTree(p);
                else Files.deleteIfExists(p);
            }
        }
    }

    private boolean restoreLatest(PrintStream log) throws IOException {
        Path pointer = checkpointsDir().resolve("latest");
        if (!Files.exists(pointer)) {
            log.println("resume: no checkpoint in " + checkpointsDir() + ", starting afresh");
            return false;
        }
        Path dir = checkpointsDir().resolve(Files.readString(pointer).strip());
        JsonNode state = readState(dir);
        Map<String, INDArray> weights = F32TensorFile.read(dir.resolve("weights.safetensors"));
        for (String name : graph.parameterNames()) {
            INDArray saved = weights.get(name);
            INDArray live = graph.parameter(name);
            if (saved == null || !java.util.Arrays.equals(saved.shape(), live.shape())) {
                throw new IOException(dir + ": checkpoint does not match the model shape (tensor " + name + ")");
            }
            live.assign(saved.castTo(DataType.FLOAT));
        }
        adam.restore(state.path("adam_step").asLong(), F32TensorFile.read(dir.resolve("adam_m.safetensors")),
                F32TensorFile.read(dir.resolve("adam_v.safetensors")));
        step = state.path("step").asLong();
        tokens = state.path("tokens").asLong();
        speechTokens = state.path("speech_tokens").asLong();
        flops = state.path("flops").asDouble();
        seconds = state.path("seconds").asDouble();
        lastHeldout = state.path("heldout_loss").asDouble(Double.NaN);
        batches.seek(state.path("epoch").asInt(), state.path("batch_index").asInt());
        log.printf("resume: %s (step %d, %,d speech tokens)%n", dir, step, speechTokens);
        long planned = state.path("planned_steps").asLong(plannedSteps);
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

    /** The counters of checkpoint folder {@code dir} (its state.json); unreadable ones fail naming the file. */
    private static JsonNode readState(Path dir) throws IOException {
        try {
            return JSON.readTree(dir.resolve("state.json").toFile());
        } catch (IOException e) {
            throw new IOException(dir.resolve("state.json") + ": unreadable checkpoint state: " + e.getMessage(), e);
        }
    }

    /** A saved checkpoint: its counters and weights. */
    public record Checkpoint(Path dir, long step, long tokens, long speechTokens, double flops, double seconds,
            double heldoutLoss, Map<String, INDArray> weights) {}

    /** The newest complete checkpoint in {@code outDir} (to export it without training). */
    public static Checkpoint latestCheckpoint(Path outDir) throws IOException {
        Path pointer = outDir.resolve("checkpoints").resolve("latest");
        if (!Files.exists(pointer)) throw new IOException(outDir + ": no checkpoint (missing checkpoints/latest)");
        Path dir = outDir.resolve("checkpoints").resolve(Files.readString(pointer).strip());
        JsonNode state = readState(dir);
        return new Checkpoint(dir, state.path("step").asLong(), state.path("tokens").asLong(),
                state.path("speech_tokens").asLong(), state.path("flops").asDouble(), state.path("seconds").asDouble(),
                state.path("heldout_loss").asDouble(Double.NaN), F32TensorFile.read(dir.resolve("weights.safetensors")));
    }

    static void writeAtomically(Path target, byte[] content) throws IOException {
        org.llasalab.io.AtomicFiles.write(target, content);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
