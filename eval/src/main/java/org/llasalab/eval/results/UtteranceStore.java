package org.llasalab.eval.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.Experiment.SaveAudio;
import org.llasalab.eval.experiment.ModelFingerprint;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.io.AtomicFiles;

/**
 * The finished utterances of a results folder, one JSON file each ({@link ResultsFolder#utterance}) with the
 * audio kept beside it ({@link ResultsFolder#audio}): the one place that writes them ({@link #write}), says
 * whether one is finished ({@link #isDone}: what resume, shards and the tables go by) and reads one back
 * ({@link #read}). A file holds
 * <pre>
 * item        the item's id
 * item_hash   {@link #itemHash}: what of the item the result depends on (a changed test item runs again)
 * metrics     one score per evaluation verifier of the cell
 * judges      per evaluation verifier, what it was when it scored (Cell#judges: type, parameters, revision)
 * ledger      the compute spent
 * details     free text, such as the ASR transcript
 * audio       the saved candidates' WAV files, relative to the folder
 * </pre>
 */
public final class UtteranceStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private UtteranceStore() {}

    /**
     * True when {@code item} of {@code cell} has a result written for this very item, scored by every
     * evaluation verifier of the cell as it is defined now (type, parameters, score revision:
     * {@link Cell#judges}). An unreadable file is not finished: the utterance runs again.
     */
    public static boolean isDone(ResultsFolder folder, Cell cell, BenchmarkItem item) {
        if (!Files.isRegularFile(folder.utterance(cell.id(), item))) return false;
        try {
            JsonNode node = read(folder, cell, item);
            if (!itemHash(item).equals(node.path("item_hash").asText())) return false;
            for (Experiment.VerifierSpec v : cell.evaluators()) {
                if (!node.path("metrics").has(v.name())) return false;
                // scored by another type, other parameters or an older revision of the verifier: score again
                if (!cell.judges().get(v.name()).equals(node.path("judges").path(v.name()).asText())) return false;
            }
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    /** The result file of {@code item} of {@code cell} as JSON; an error naming the file when it does not parse. */
    public static JsonNode read(ResultsFolder folder, Cell cell, BenchmarkItem item) throws IOException {
        Path f = folder.utterance(cell.id(), item);
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException ex) {
            throw new IOException(f + ": unreadable result file: " + ex.getMessage(), ex);
        }
    }

    /** What of an item its result depends on, hashed: id, prompt text and file, target text, target emotion. */
    public static String itemHash(BenchmarkItem item) {
        String key = item.id() + "\n" + item.promptText() + "\n"
                + (item.promptWav() == null ? "" : item.promptWav().getFileName()) + "\n" + item.targetText()
                // the target emotion changes what emotion verifiers judge (only items that have one hash it)
                + (item.emotion() == null ? "" : "\nemotion=" + item.emotion());
        return HexFormat.of().formatHex(ModelFingerprint.sha256().digest(key.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
    }

    /**
     * Writes {@code r}, what {@code cell} produced for {@code item}: the candidates {@code save} keeps as WAV
     * files, then the result file, atomically and last (a run killed in between leaves no finished result).
     * Throws when {@code r} lacks the score of an evaluation verifier of the cell.
     */
    public static void write(ResultsFolder folder, SaveAudio save, Cell cell, BenchmarkItem item, UtteranceRecord r)
            throws IOException {
        for (Experiment.VerifierSpec v : cell.evaluators()) {
            if (!r.metrics().containsKey(v.name())) {
                throw new IllegalStateException("the executor returned no score for evaluation verifier '" + v.name()
                        + "'");
            }
        }
        List<String> audioFiles = new ArrayList<>();
        int keep = switch (save) {
            case NONE -> 0;
            case BEST -> Math.min(1, r.audio().size());
            case ALL -> r.audio().size();
        };
        for (int k = 0; k < keep; k++) {
            Path wav = folder.audio(cell.id(), item, k);
            Wav.write(wav, new Audio(r.audio().get(k), r.sampleRate()), false);
            audioFiles.add(folder.dir().relativize(wav).toString().replace('\\', '/'));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("item", item.id());
        json.put("item_hash", itemHash(item));
        json.put("metrics", new TreeMap<>(r.metrics()));
        Map<String, String> judges = new TreeMap<>();
        for (Experiment.VerifierSpec v : cell.evaluators()) judges.put(v.name(), cell.judges().get(v.name()));
        json.put("judges", judges);
        json.put("ledger", new TreeMap<>(r.ledger()));
        json.put("details", new TreeMap<>(r.details()));
        json.put("audio", audioFiles);
        AtomicFiles.write(folder.utterance(cell.id(), item), JSON.writeValueAsString(json));
    }
}
