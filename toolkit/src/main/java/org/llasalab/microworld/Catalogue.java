package org.llasalab.microworld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The micro world's shipped assets: {@code toolkit/microworld/catalogue.yaml} maps short names
 * ({@code micro} codec, later models and verifiers) to folders relative to {@code toolkit/microworld/}.
 * The repository root comes from the system property {@code llasa.home} (set by the launcher and the
 * test configuration).
 */
public final class Catalogue {
    public static final String FILE = "catalogue.yaml";

    private Catalogue() {}

    /** {@code $llasa.home/toolkit/microworld}. */
    public static Path microworldDir() {
        String home = System.getProperty("llasa.home");
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("system property llasa.home (the repository root) is not set; run through ./llasa");
        }
        return Path.of(home).resolve("toolkit").resolve("microworld");
    }

    /** Short name to absolute folder, as listed in the catalogue. */
    public static Map<String, Path> entries() {
        Path dir = microworldDir();
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) return Map.of();
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException(file + ": malformed YAML: " + e.getMessage(), e));
        }
        if (root == null || root.isMissingNode() || root.isNull()) return Map.of();
        if (!root.isObject()) throw new UncheckedIOException(new IOException(file + ": expected a map of short name -> folder"));
        Map<String, Path> out = new TreeMap<>();
        root.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new UncheckedIOException(new IOException(file + ": entry '" + e.getKey() + "' must be a folder name"));
            }
            out.put(e.getKey(), dir.resolve(e.getValue().asText()).normalize());
        });
        return out;
    }

    /** The folder of a short name, or {@code null} when the name is not in the catalogue (or no home is set). */
    public static Path lookup(String name) {
        if (System.getProperty("llasa.home") == null) return null;
        return entries().get(name);
    }

    /**
     * Resolves a short name or a path: an existing folder is returned as is; a catalogue name gives
     * its folder; anything else is an error listing the known names.
     */
    public static Path resolve(String nameOrPath) throws IOException {
        Path asPath = Path.of(nameOrPath);
        if (Files.isDirectory(asPath)) return asPath;
        Path known = lookup(nameOrPath);
        if (known != null) {
            if (!Files.isDirectory(known)) throw new IOException("catalogue entry '" + nameOrPath + "' points to missing folder " + known);
            return known;
        }
        throw new IOException("'" + nameOrPath + "' is neither a folder nor a micro-world name (known: "
                + (System.getProperty("llasa.home") == null ? "none, llasa.home is not set" : entries().keySet()) + ")");
    }
}
