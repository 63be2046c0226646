package org.llasalab.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Function;

/** Opens a codec folder by the {@code model_type} in its {@code config.json}. */
public final class Codecs {
    /**
     * Resolves short names (e.g. {@code micro}) to folders; by default the micro world's catalogue
     * ({@code toolkit/microworld/catalogue.yaml}), which answers null for names it does not list.
     */
    private static volatile Function<String, Path> shortNames = org.llasalab.microworld.Catalogue::lookup;

    private Codecs() {}

    public static void setShortNameResolver(Function<String, Path> resolver) {
        shortNames = resolver;
    }

    /** Opens {@code nameOrDir}: a short name from the catalogue or a folder with {@code config.json}. */
    public static SpeechCodec open(String nameOrDir) throws IOException {
        Path dir = shortNames.apply(nameOrDir);
        return open(dir != null ? dir : Path.of(nameOrDir));
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
