package org.llasalab.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Opens a codec folder by the {@code model_type} in its {@code config.json}. Short names (e.g. the micro
 * world's {@code micro}) are resolved by the caller's lookup: the codec layer knows no catalogue.
 */
public final class Codecs {
    private Codecs() {}

    /**
     * The folder of {@code nameOrDir}: what {@code shortNames} answers for it (null for names it does not
     * know), else {@code nameOrDir} as a path.
     */
    public static Path folder(String nameOrDir, Function<String, Path> shortNames) {
        Path dir = shortNames.apply(nameOrDir);
        return dir != null ? dir : Path.of(nameOrDir);
    }

    /** Opens {@code nameOrDir}: a short name {@code shortNames} knows, or a folder with {@code config.json}. */
    public static SpeechCodec open(String nameOrDir, Function<String, Path> shortNames) throws IOException {
        return open(folder(nameOrDir, shortNames));
    }

    public static SpeechCodec open(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new IOException(dir + ": not a codec folder (no config.json)");
        }
        JsonNode config;
        try {
            config = new ObjectMapper().readTree(configFile.toFile());
        } catch (IOException e) {
            throw new IOException(configFile + ": malformed JSON: " + e.getMessage(), e);
        }
        String type = config.path("model_type").asText("");
        TreeSet<String> known = new TreeSet<>();
        for (CodecLoader loader : ServiceLoader.load(CodecLoader.class)) {
            if (loader.modelType().equals(type)) {
                return loader.load(dir, config);
            }
            known.add(loader.modelType());
        }
        throw new IOException(configFile + ": unknown codec model_type '" + type + "' (known: " + known + ")");
    }
}
