package org.llasalab.verifiers.micro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.io.AtomicFiles;
import org.llasalab.io.DType;
import org.llasalab.io.SafetensorsWriter;
import org.llasalab.io.TensorData;

/** Reading and writing the shipped micro verifier folders ({@code config.json} + {@code model.safetensors}). */
public final class MicroModels {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MicroModels() {}

    public static XVectorModel loadXVector(Path dir) throws IOException {
        JsonNode c = MicroWeights.readConfig(dir, XVectorModel.MODEL_TYPE);
        XVectorModel.Config config;
        try {
            config = new XVectorModel.Config(c.path("task").asText(""), req(c, "channels", dir), req(c, "pool_channels", dir),
                    req(c, "embedding", dir), strings(c, "labels", dir));
        } catch (IllegalArgumentException e) {
            throw new IOException(dir.resolve(MicroWeights.CONFIG) + ": " + e.getMessage(), e);
        }
        return new XVectorModel(config, MicroWeights.read(dir, XVectorModel.parameterShapes(config)));
    }

    public static CtcAsrModel loadCtc(Path dir) throws IOException {
        JsonNode c = MicroWeights.readConfig(dir, CtcAsrModel.MODEL_TYPE);
        CtcAsrModel.Config config;
        try {
            config = new CtcAsrModel.Config(req(c, "channels", dir), req(c, "blocks", dir), req(c, "kernel", dir),
                    strings(c, "symbols", dir));
        } catch (IllegalArgumentException e) {
            throw new IOException(dir.resolve(MicroWeights.CONFIG) + ": " + e.getMessage(), e);
        }
        return new CtcAsrModel(config, MicroWeights.read(dir, CtcAsrModel.parameterShapes(config)));
    }

    public static void saveXVector(Path dir, XVectorModel.Config config, Map<String, float[]> weights, DType dtype,
            Map<String, Object> extra) throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", XVectorModel.MODEL_TYPE);
        c.put("task", config.task());
        c.put("channels", config.channels());
        c.put("pool_channels", config.poolChannels());
        c.put("embedding", config.embedding());
        ArrayNode labels = c.putArray("labels");
        config.labels().forEach(labels::add);
        save(dir, c, extra, XVectorModel.parameterShapes(config), weights, dtype);
    }

    public static void saveCtc(Path dir, CtcAsrModel.Config config, Map<String, float[]> weights, DType dtype,
            Map<String, Object> extra) throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", CtcAsrModel.MODEL_TYPE);
        c.put("channels", config.channels());
        c.put("blocks", config.blocks());
        c.put("kernel", config.kernel());
        ArrayNode symbols = c.putArray("symbols");
        config.symbols().forEach(symbols::add);
        save(dir, c, extra, CtcAsrModel.parameterShapes(config), weights, dtype);
    }

    private static void save(Path dir, ObjectNode config, Map<String, Object> extra, Map<String, long[]> shapes,
            Map<String, float[]> weights, DType dtype) throws IOException {
        Files.createDirectories(dir);
        if (extra != null) extra.forEach((k, v) -> config.set(k, JSON.valueToTree(v)));
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (var e : shapes.entrySet()) {
            MicroWeights.check(weights, e.getKey(), e.getValue());
            // The front end's statistics stay f32: they scale every input.
            DType d = e.getKey().startsWith("frontend.") ? DType.F32 : dtype;
            tensors.put(e.getKey(), TensorData.encode(d, weights.get(e.getKey()), e.getValue()));
        }
        SafetensorsWriter.write(dir.resolve(MicroWeights.WEIGHTS), tensors, Map.of("format", "pt"));
        AtomicFiles.write(dir.resolve(MicroWeights.CONFIG), JSON.writeValueAsString(config) + "\n");
    }

    private static int req(JsonNode c, String key, Path dir) throws IOException {
        JsonNode v = c.get(key);
        if (v == null || !v.canConvertToInt()) throw new IOException(dir.resolve(MicroWeights.CONFIG) + ": missing or non-integer '" + key + "'");
        return v.asInt();
    }

    private static List<String> strings(JsonNode c, String key, Path dir) throws IOException {
        JsonNode v = c.get(key);
        if (v == null || !v.isArray()) throw new IOException(dir.resolve(MicroWeights.CONFIG) + ": missing list '" + key + "'");
        List<String> out = new ArrayList<>();
        v.forEach(n -> out.add(n.asText()));
        return out;
    }
}
