package org.llasalab.train;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML configuration file with the line of every key, so that validation errors name the file and line:
 * {@code train-micro-s.yaml:12: train.batch: expected an integer, got "sixteen"}.
 */
final class YamlDocument {
    private final Path file;
    private final JsonNode root;
    private final Map<String, Integer> lines = new HashMap<>();

    private YamlDocument(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    static YamlDocument read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such configuration file");
        String text = Files.readString(file);
        YAMLFactory factory = new YAMLFactory();
        JsonNode root;
        try {
            root = new ObjectMapper(factory).readTree(text);
        } catch (IOException e) {
            JsonLocation at = e instanceof com.fasterxml.jackson.core.JsonProcessingException p ? p.getLocation() : null;
            throw new IOException(file + (at != null ? ":" + at.getLineNr() : "") + ": malformed YAML: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) throw new IOException(file + ": expected a mapping of settings at the top level");
        YamlDocument doc = new YamlDocument(file, root);
        try (JsonParser p = factory.createParser(text)) {
            Deque<String> path = new ArrayDeque<>();
            Deque<Boolean> inObject = new ArrayDeque<>();
            String pending = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> {
                        pending = p.currentName();
                        String key = path.isEmpty() ? pending : String.join(".", path.reversed()) + "." + pending;
                        doc.lines.put(key, p.currentLocation().getLineNr());
                    }
                    case START_OBJECT, START_ARRAY -> {
                        inObject.push(t == JsonToken.START_OBJECT);
                        path.push(pending == null ? "[]" : pending);
                        pending = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        inObject.pop();
                        path.pop();
                    }
                    default -> pending = null;
                }
            }
        }
        return doc;
    }

    Path file() {
        return file;
    }

    JsonNode root() {
        return root;
    }

    /** "file:line" of a key path such as {@code train.batch} (just the file when unknown). */
    String where(String key) {
        Integer line = lines.get(key.startsWith("[]") ? key : "[]." + key);
        if (line == null) line = lines.get(key);
        return file + (line != null ? ":" + line : "");
    }

    IllegalArgumentException error(String key, String message) {
        return new IllegalArgumentException(where(key) + ": " + key + ": " + message);
    }

    /** Throws on keys of the mapping at {@code prefix} that are not in {@code known}. */
    void rejectUnknown(String prefix, JsonNode node, Set<String> known) {
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                String key = prefix.isEmpty() ? name : prefix + "." + name;
                throw new IllegalArgumentException(where(key) + ": unknown key '" + key + "' (known"
                        + (prefix.isEmpty() ? "" : " in " + prefix) + ": " + new TreeSet<>(known) + ")");
            }
        }
    }
}
