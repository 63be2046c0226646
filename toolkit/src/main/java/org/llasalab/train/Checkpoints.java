package org.llasalab.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.llasalab.io.AtomicFiles;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checkpoints of a training output folder, from which a later run resumes exactly:
 * {@code checkpoints/step-NNNNNNNN/} ({@code weights.safetensors}, {@code adam_m.safetensors},
 * {@code adam_v.safetensors}, {@code state.json}) and {@code checkpoints/latest}, the name of the newest
 * complete one. A checkpoint is written under a temporary name and renamed when complete, so a run killed
 * while saving leaves a {@code .tmp} folder (removed by the next run) and the previous checkpoint intact.
 */
public final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where a run stood when it was saved: its summary, the optimiser's update count, the position in the
     * data (epoch and batch), the seed and the updates the schedule was planned over.
     */
    public record State(TrainingSummary summary, long adamStep, int epoch, int batchIndex, long seed,
            long plannedSteps) {}

    /** A saved checkpoint: its folder and state; its tensors are read on request. */
    public record Checkpoint(Path dir, State state) {
        public Map<String, INDArray> weights() throws IOException {
            return F32TensorFile.read(dir.resolve("weights.safetensors"));
        }

        public Map<String, INDArray> firstMoments() throws IOException {
            return F32TensorFile.read(dir.resolve("adam_m.safetensors"));
        }

        public Map<String, INDArray> secondMoments() throws IOException {
            return F32TensorFile.read(dir.resolve("adam_v.safetensors"));
        }
    }

    private final Path dir;
    private final int keep;

    /** The checkpoints of output folder {@code outDir}, keeping the newest {@code keep} when saving. */
    public Checkpoints(Path outDir, int keep) {
        this.dir = outDir.resolve("checkpoints");
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes a complete checkpoint folder under a temporary name, then renames it, updates {@code latest}
     * and deletes all but the newest {@code keep}. Returns the folder.
     */
    public Path save(State state, Map<String, INDArray> weights, Map<String, INDArray> firstMoments,
            Map<String, INDArray> secondMoments) throws IOException {
        Files.createDirectories(dir);
        TrainingSummary s = state.summary();
        String name = String.format("step-%08d", s.updates());
        Path tmp = Files.createTempDirectory(dir, name + ".tmp");
        F32TensorFile.write(tmp.resolve("weights.safetensors"), weights);
        F32TensorFile.write(tmp.resolve("adam_m.safetensors"), firstMoments);
        F32TensorFile.write(tmp.resolve("adam_v.safetensors"), secondMoments);
        ObjectNode json = JSON.createObjectNode();
        json.put("step", s.updates()).put("adam_step", state.adamStep()).put("tokens", s.tokens())
                .put("speech_tokens", s.speechTokens()).put("flops", s.flops()).put("seconds", s.seconds())
                .put("epoch", state.epoch()).put("batch_index", state.batchIndex()).put("heldout_loss", s.heldoutLoss())
                .put("seed", state.seed()).put("parameters", s.parameters()).put("planned_steps", state.plannedSteps());
        Files.write(tmp.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        Path target = dir.resolve(name);
        if (Files.exists(target)) deleteTree(target);
        move(tmp, target);
        AtomicFiles.write(dir.resolve("latest"), name + "\n");
        try (Stream<Path> old = Files.list(dir)) {
            List<Path> complete = old.filter(p -> p.getFileName().toString().matches("step-\\d{8}"))
                    .sorted(Comparator.reverseOrder()).toList();
            for (int i = keep; i < complete.size(); i++) deleteTree(complete.get(i));
        }
        return target;
    }

    /** Deletes checkpoint folders left half-written by a run killed while saving. */
    public void removeIncomplete() throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> all = Files.list(dir)) {
            for (Path p : all.filter(p -> p.getFileName().toString().contains(".tmp")).toList()) {
                if (Files.isDirectory(p)) deleteTree(p);
                else Files.deleteIfExists(p);
            }
        }
    }

    /** The newest complete checkpoint, or null when there is none. */
    public Checkpoint latest() throws IOException {
        Path pointer = dir.resolve("latest");
        if (!Files.exists(pointer)) return null;
        Path saved = dir.resolve(Files.readString(pointer).strip());
        return new Checkpoint(saved, readState(saved));
    }

    /** The newest complete checkpoint of output folder {@code outDir} (to export it without training). */
    public static Checkpoint latest(Path outDir) throws IOException {
        Checkpoint c = new Checkpoints(outDir, Integer.MAX_VALUE).latest();
        if (c == null) throw new IOException(outDir + ": no checkpoint (missing checkpoints/latest)");
        return c;
    }

    /** The state of checkpoint folder {@code saved} (its state.json); an unreadable one fails naming the file. */
    private static State readState(Path saved) throws IOException {
        JsonNode state;
        try {
            state = JSON.readTree(saved.resolve("state.json").toFile());
        } catch (IOException e) {
            throw new IOException(saved.resolve("state.json") + ": unreadable checkpoint state: " + e.getMessage(), e);
        }
        TrainingSummary summary = new TrainingSummary(state.path("parameters").asLong(-1), state.path("step").asLong(),
                state.path("tokens").asLong(), state.path("speech_tokens").asLong(), state.path("flops").asDouble(),
                state.path("seconds").asDouble(), state.path("heldout_loss").asDouble(Double.NaN));
        return new State(summary, state.path("adam_step").asLong(), state.path("epoch").asInt(),
                state.path("batch_index").asInt(), state.path("seed").asLong(), state.path("planned_steps").asLong(-1));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a folder and everything in it. */
    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
