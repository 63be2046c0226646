package org.llasalab.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;

/**
 * Encodes a micro-world corpus once into an {@link UtteranceCache}: reads {@code manifest.jsonl} (one JSON object
 * per line with {@code id}, {@code phonemes} (space-separated symbols, from the micro text front end),
 * {@code speaker}, {@code style}, {@code split}, {@code wav}), encodes each WAV with the codec in batches, and
 * writes the cache atomically. The voice key is {@code speaker/style}.
 */
public final class CorpusEncoder {
    public static final String MANIFEST = "manifest.jsonl";

    /** One manifest line. */
    public record Entry(String id, String phonemes, String voice, String split, Path wav) {}

    private CorpusEncoder() {}

    public static List<Entry> readManifest(Path corpus) throws IOException {
        Path manifest = corpus.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) throw new IOException(corpus + ": no " + MANIFEST + " (is the corpus complete?)");
        ObjectMapper json = new ObjectMapper();
        List<Entry> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String where = manifest + ":" + (i + 1);
            JsonNode o;
            try {
                o = json.readTree(line);
            } catch (IOException e) {
                throw new IOException(where + ": malformed JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
            }
            for (String key : List.of("id", "phonemes", "speaker", "style", "wav")) {
                if (!o.path(key).isTextual() || o.path(key).asText().isBlank()) {
                    throw new IOException(where + ": missing or empty '" + key + "'");
                }
            }
            out.add(new Entry(o.get("id").asText(), o.get("phonemes").asText().strip().replaceAll("\\s+", " "),
                    o.get("speaker").asText() + "/" + o.get("style").asText(), o.path("split").asText(""),
                    corpus.resolve(o.get("wav").asText())));
        }
        if (out.isEmpty()) throw new IOException(manifest + ": no utterances");
        return out;
    }

    /** Encodes every manifest entry and writes {@code cacheFile}; returns the number of utterances. */
    public static int encode(Path corpus, SpeechCodec codec, Path cacheFile, int batch, Consumer<String> log)
            throws IOException {
        if (!codec.canEncode()) throw new IOException("codec " + codec.name() + " cannot encode audio");
        List<Entry> entries = readManifest(corpus);
        List<Utterance> utterances = new ArrayList<>(entries.size());
        long start = System.nanoTime();
        double audioSeconds = 0;
        for (int i = 0; i < entries.size(); i += batch) {
            List<Entry> part = entries.subList(i, Math.min(entries.size(), i + batch));
            float[][] audio = new float[part.size()][];
            for (int j = 0; j < part.size(); j++) {
                Audio a = Wav.read(part.get(j).wav());
                if (a.sampleRate() != codec.sampleRate()) {
                    throw new IOException(part.get(j).wav() + ": sample rate " + a.sampleRate() + " Hz, the codec needs "
                            + codec.sampleRate() + " Hz");
                }
                audio[j] = a.samples();
                audioSeconds += a.seconds();
            }
            int[][] codes = codec.encode(audio);
            for (int j = 0; j < part.size(); j++) {
                Entry e = part.get(j);
                if (codes[j].length == 0) throw new IOException(e.wav() + ": encoded to no codes");
                utterances.add(new Utterance(e.id(), e.voice(), e.split(), e.phonemes(), codes[j]));
            }
            if ((i / batch) % 50 == 0) {
                log.accept(String.format("encoded %d/%d utterances (%.0fx real time)", utterances.size(), entries.size(),
                        audioSeconds / Math.max(1e-9, (System.nanoTime() - start) / 1e9)));
            }
        }
        UtteranceCache.write(cacheFile, codec.name(), codec.codebookSize(), utterances);
        log.accept("wrote " + cacheFile + " (" + utterances.size() + " utterances, " + Math.round(audioSeconds / 36) / 100.0
                + " h)");
        return utterances.size();
    }
}
