package org.llasalab.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llasalab.io.AtomicFiles;

/**
 * What a training run has done so far, as {@code summary.json}: the facts a study of runs needs without
 * reading the log or the model card. The trainer writes one into its output folder at every checkpoint and
 * at the end; the export writes one into the model folder, for the weights it holds (a run may go on after
 * an export). Written atomically, so a reader sees the previous summary or the whole new one.
 *
 * <pre>
 * {
 *   "parameters" : 2577600,       // the model's parameter count, embeddings included
 *   "updates" : 2159,             // optimiser updates done
 *   "tokens" : 6239243,           // input tokens seen (text and speech)
 *   "speech_tokens" : 4000208,    // loss-bearing targets seen (speech tokens and the end marker)
 *   "flops" : 1.068933E14,        // training FLOPs
 *   "seconds" : 6161.71,          // wall seconds of training (discarded updates not counted)
 *   "heldout_loss" : 1.355444     // mean cross-entropy per held-out speech target at the last evaluation; null: none
 * }
 * </pre>
 *
 * @param heldoutLoss NaN when the run has not been evaluated (written as null)
 */
public record TrainingSummary(long parameters, long updates, long tokens, long speechTokens, double flops,
        double seconds, double heldoutLoss) {

    /** The file's name, in a training output folder and in an exported model folder. */
    public static final String FILE = "summary.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COUNTS = List.of("parameters", "updates", "tokens", "speech_tokens");
    private static final List<String> AMOUNTS = List.of("flops", "seconds");

    /** Writes {@code dir/summary.json} atomically. */
    public void write(Path dir) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("parameters", parameters).put("updates", updates).put("tokens", tokens).put("speech_tokens", speechTokens)
                .put("flops", flops).put("seconds", seconds);
        if (Double.isNaN(heldoutLoss)) o.putNull("heldout_loss");
        else o.put("heldout_loss", heldoutLoss);
        AtomicFiles.write(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }

    /** True when {@code dir} holds a summary.json. */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    /**
     * Reads {@code dir/summary.json}. A file that is not JSON, or lacks a field or has one of the wrong kind,
     * fails naming the file and every such field.
     */
    public static TrainingSummary read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": unreadable training summary: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new IOException(file + ": a training summary is a JSON object");
        List<String> problems = new ArrayList<>();
        for (String key : COUNTS) {
            if (!root.path(key).canConvertToExactIntegral() || root.path(key).asLong() < 0) {
                problems.add("'" + key + "' must be a whole number >= 0");
            }
        }
        for (String key : AMOUNTS) {
            if (!root.path(key).isNumber()) problems.add("'" + key + "' must be a number");
        }
        JsonNode heldout = root.path("heldout_loss");
        if (!heldout.isNumber() && !heldout.isNull()) problems.add("'heldout_loss' must be a number or null");
        if (!problems.isEmpty()) throw new IOException(file + ": " + String.join("; ", problems));
        return new TrainingSummary(root.get("parameters").asLong(), root.get("updates").asLong(),
                root.get("tokens").asLong(), root.get("speech_tokens").asLong(), root.get("flops").asDouble(),
                root.get("seconds").asDouble(), heldout.isNull() ? Double.NaN : heldout.asDouble());
    }
}
