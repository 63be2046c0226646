package org.llasalab.eval.score;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.io.AtomicFiles;
import org.llasalab.verify.Score;

/**
 * {@code scores.jsonl}: one JSON line per (utterance, verifier column) score, appended after every
 * batch, so an interrupted evaluation can resume. A line is reused only when the verifier's identity
 * (type and parameters) and the output file's size and modification time are unchanged; a torn last
 * line (from a crash mid-write) is ignored.
 */
public final class ScoreJournal implements AutoCloseable {
    public static final String FILE = "scores.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Key(String utt, String column) {}

    private record Entry(String identity, long bytes, long modified, double seconds, Score score) {}

    private final Map<Key, Entry> previous;
    private final BufferedWriter out;

    private ScoreJournal(Map<Key, Entry> previous, BufferedWriter out) {
        this.previous = previous;
        this.out = out;
    }

    /** Opens the journal in {@code outDir}: kept and read when {@code resume}, else started afresh. */
    public static ScoreJournal open(Path outDir, boolean resume) throws IOException {
        Files.createDirectories(outDir);
        Path file = outDir.resolve(FILE);
        Map<Key, Entry> previous = new HashMap<>();
        List<String> valid = new java.util.ArrayList<>();
        if (resume && Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) continue;
                Map<String, Object> m;
                try {
                    m = JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {});
                } catch (JsonProcessingException e) {
                    if (i == lines.size() - 1) break;   // torn last line
                    throw new IOException(file + ": line " + (i + 1) + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> details = (Map<String, Object>) m.getOrDefault("details", Map.of());
                try {
                    previous.put(new Key((String) m.get("utt"), (String) m.get("column")), new Entry((String) m.get("identity"),
                            ((Number) m.get("bytes")).longValue(), ((Number) m.get("modified")).longValue(),
                            ((Number) m.get("seconds")).doubleValue(), new Score(((Number) m.get("value")).doubleValue(), details)));
                } catch (ClassCastException | NullPointerException e) {
                    throw new IOException(file + ": line " + (i + 1) + " lacks a field of a score record", e);
                }
                valid.add(line);
            }
            // Rewrite without a torn last line before appending to it.
            AtomicFiles.write(file, valid.isEmpty() ? "" : String.join("\n", valid) + "\n");
        }
        BufferedWriter out = resume
                ? Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        return new ScoreJournal(previous, out);
    }

    /** A journalled score and the length of the audio it was computed on. */
    public record Reused(Score score, double seconds) {}

    /** The journalled score of {@code column} for {@code utt}, if still valid for {@code audio}; else null. */
    public Reused reuse(String utt, String column, String identity, Path audio) throws IOException {
        Entry e = previous.get(new Key(utt, column));
        if (e == null || !e.identity().equals(identity)) return null;
        BasicFileAttributes a = Files.readAttributes(audio, BasicFileAttributes.class);
        boolean same = a.size() == e.bytes() && a.lastModifiedTime().toMillis() == e.modified();
        return same ? new Reused(e.score(), e.seconds()) : null;
    }

    /** Appends one score record; call {@link #flush()} after a batch. */
    public void record(String utt, String column, String identity, Path audio, double seconds, Score score) throws IOException {
        if (!Double.isFinite(score.value())) return;   // only finite scores are journalled
        BasicFileAttributes a = Files.readAttributes(audio, BasicFileAttributes.class);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("utt", utt);
        m.put("column", column);
        m.put("identity", identity);
        m.put("bytes", a.size());
        m.put("modified", a.lastModifiedTime().toMillis());
        m.put("seconds", seconds);
        m.put("value", score.value());
        Map<String, Object> details = new LinkedHashMap<>();
        score.details().forEach((k, v) -> details.put(k,
                v instanceof Number || v instanceof String || v instanceof Boolean ? v : String.valueOf(v)));
        m.put("details", details);
        out.write(JSON.writeValueAsString(m));
        out.write('\n');
    }

    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
