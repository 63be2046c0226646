package org.llasalab.codec.micro;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.llasalab.codec.CodecLoader;
import org.llasalab.codec.SpeechCodec;

/** Loads {@code model_type: llasa-micro-codec} folders. */
public final class MicroCodecLoader implements CodecLoader {
    @Override
    public String modelType() {
        return MicroCodecConfig.MODEL_TYPE;
    }

    @Override
    public SpeechCodec load(Path dir, JsonNode config) throws IOException {
        return MicroCodec.load(dir, MicroCodecConfig.parse(config, dir.resolve("config.json").toString()));
    }
}
