package org.llasalab.verifiers.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;

/** The tiny ONNX models, test audio and expected numbers made by src/test/resources/onnx/make_tiny_models.py. */
final class TinyModels {
    private TinyModels() {}

    static Path dir() {
        try {
            return Path.of(TinyModels.class.getResource("/onnx/expected.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(dir().resolve("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] audio(String name) {
        try {
            Audio a = Wav.read(dir().resolve(name));
            if (a.sampleRate() != 16_000) throw new IllegalStateException(name + " is not 16 kHz");
            return a.samples();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }
}
