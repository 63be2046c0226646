package org.llasalab.verifiers.micro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.llasalab.io.TensorStore;

/** Loading a micro verifier's folder: {@code config.json} and {@code model.safetensors} (f16/bf16/f32). */
public final class MicroWeights {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";

    private MicroWeights() {}

    /** Every tensor of {@code dir/model.safetensors} as f32 arrays, checked against {@code shapes}. */
    public static Map<String, float[]> read(Path dir, Map<String, long[]> shapes) throws IOException {
        Path file = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(file)) throw new IOException(file + ": missing model weights");
        Map<String, float[]> out = new LinkedHashMap<>();
        try (TensorStore store = TensorStore.open(file)) {
            for (var e : shapes.entrySet()) {
                if (!store.contains(e.getKey())) throw new IOException(file + ": missing tensor '" + e.getKey() + "'");
                long[] shape = store.shape(e.getKey());
                if (!java.util.Arrays.equals(shape, e.getValue())) {
                    throw new IOException(file + ": tensor '" + e.getKey() + "' has shape " + java.util.Arrays.toString(shape)
                            + ", config expects " + java.util.Arrays.toString(e.getValue()));
                }
                out.put(e.getKey(), store.toFloatArray(e.getKey()));
            }
        }
        return out;
    }

    public static JsonNode readConfig(Path dir, String modelType) throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) throw new IOException(file + ": missing model config");
        JsonNode c;
        try {
            c = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        String type = c.path("model_type").asText("");
        if (!modelType.equals(type)) throw new IOException(file + ": model_type is '" + type + "', expected " + modelType);
        return c;
    }

    static void check(Map<String, float[]> w, String name, long[] shape) {
        float[] v = w.get(name);
        long n = 1;
        for (long d : shape) n *= d;
        if (v == null) throw new IllegalArgumentException("missing weight '" + name + "'");
        if (v.length != n) throw new IllegalArgumentException("weight '" + name + "' has " + v.length + " values, expected " + n);
    }
}
