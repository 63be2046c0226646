package org.llasalab.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads one kind of codec from a folder holding {@code config.json} and weights. Implementations are
 * listed in {@code META-INF/services/org.llasalab.codec.CodecLoader}.
 */
public interface CodecLoader {
    /** The codec kind, as written in {@code config.json}'s {@code model_type} (e.g. {@code xcodec2}). */
    String modelType();

    SpeechCodec load(Path dir, JsonNode config) throws IOException;
}
