package org.llasalab.microworld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;

/** Reads a micro-world corpus folder's {@code manifest.jsonl} (see {@link CorpusBuilder} for the layout). */
public final class CorpusManifest {
    /** One utterance of the corpus. */
    public record Entry(String id, String text, String phonemes, String speaker, String style, String emotion,
            double duration, String split, String wav) {}

    private final Path dir;
    private final List<Entry> entries;

    private CorpusManifest(Path dir, List<Entry> entries) {
        this.dir = dir;
        this.entries = entries;
    }

    public static CorpusManifest read(Path dir) throws IOException {
        Path file = dir.resolve("manifest.jsonl");
        if (!Files.isRegularFile(file)) throw new IOException(dir + ": not a micro-world corpus (no manifest.jsonl)");
        ObjectMapper json = new ObjectMapper();
        List<Entry> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) continue;
            try {
                JsonNode o = json.readTree(line);
                out.add(new Entry(text(o, "id"), text(o, "text"), text(o, "phonemes"), text(o, "speaker"), text(o, "style"),
                        o.path("emotion").asText(""), o.path("duration").asDouble(Double.NaN), text(o, "split"), text(o, "wav")));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(file + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        return new CorpusManifest(dir, List.copyOf(out));
    }

    private static String text(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("missing text field '" + key + "'");
        return v.asText();
    }

    public Path dir() { return dir; }

    public List<Entry> entries() { return entries; }

    public List<Entry> split(String split) {
        return entries.stream().filter(e -> e.split().equals(split)).toList();
    }

    public Path wav(Entry e) {
        return dir.resolve(e.wav());
    }

    public Audio audio(Entry e) throws IOException {
        return Wav.read(wav(e));
    }
}
