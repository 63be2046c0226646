package org.llasalab.eval.experiment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import org.llasalab.eval.bench.BenchmarkItem;

/**
 * Where a run keeps its files:
 * <pre>
 * DIR/resolved.yaml                      the experiment with every default and path filled in, and its cells
 * DIR/cells/CELL/cell.json               the cell's resolved configuration (what its id hashes)
 * DIR/cells/CELL/utterances/UTT.json     one finished utterance: metrics, ledger, details, audio files
 * DIR/cells/CELL/status.json             done / failed with the errors of the last attempt
 * DIR/cells/CELL/status-I-of-N.json      the same for the utterances of shard I of N (merged into status.json)
 * DIR/audio/CELL/UTT.wav                 the chosen candidate (save_audio best or all)
 * DIR/audio/CELL/UTT-K.wav               the K-th other final candidate (save_audio all)
 * DIR/results.csv, aggregate.csv, metrics.csv, charts/, report.md
 * DIR/.locks/                            the locks of the runs working on the folder (the run package's {@code RunLock})
 * </pre>
 */
public record ResultsFolder(Path dir) {
    public static final String RESOLVED = "resolved.yaml";
    public static final String RESULTS_CSV = "results.csv";
    public static final String AGGREGATE_CSV = "aggregate.csv";
    public static final String METRICS_CSV = "metrics.csv";
    public static final String REPORT = "report.md";

    public Path cellDir(String cellId) {
        return dir.resolve("cells").resolve(cellId);
    }

    public Path cellConfig(String cellId) {
        return cellDir(cellId).resolve("cell.json");
    }

    public Path cellStatus(String cellId) {
        return cellDir(cellId).resolve("status.json");
    }

    /** The status of {@code shard}'s part of a cell (a run without {@code --shard} writes {@link #cellStatus}). */
    public Path shardStatus(String cellId, Shard shard) {
        return shard.isAll() ? cellStatus(cellId) : cellDir(cellId).resolve("status-" + shard.tag() + ".json");
    }

    public Path utterance(String cellId, BenchmarkItem item) {
        return cellDir(cellId).resolve("utterances").resolve(fileName(item.id()) + ".json");
    }

    public Path audio(String cellId, BenchmarkItem item, int candidate) {
        String base = fileName(item.id());
        return dir.resolve("audio").resolve(cellId).resolve(candidate == 0 ? base + ".wav" : base + "-" + candidate + ".wav");
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public Path charts() {
        return dir.resolve("charts");
    }

    /** An item id as a file name: unsafe characters replaced, plus a short hash when any was. */
    public static String fileName(String id) {
        String safe = id.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.equals(id) && !safe.startsWith(".")) return safe;
        byte[] h = ModelFingerprint.sha256().digest(id.getBytes(StandardCharsets.UTF_8));
        return safe.replaceAll("^\\.", "_") + "~" + HexFormat.of().formatHex(h).substring(0, 8);
    }
}
