package org.llasalab.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * All shards of a checkpoint described by {@code model.safetensors.index.json}
 * ({@code {"weight_map": {tensor: shard file}}}) opened as one {@link TensorStore}.
 */
final class ShardedSafetensors implements TensorStore {
    private final Path index;
    private final Map<String, Safetensors> byTensor;
    private final Map<String, Safetensors> shards;

    private ShardedSafetensors(Path index, Map<String, Safetensors> byTensor, Map<String, Safetensors> shards) {
        this.index = index;
        this.byTensor = byTensor;
        this.shards = shards;
    }

    static TensorStore open(Path index) throws IOException {
        if (!Files.isRegularFile(index)) throw new SafetensorsException(index + ": index file not found");
        ObjectNode root = Safetensors.parseJsonObject(index, "safetensors index");
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) throw new SafetensorsException(index + ": missing \"weight_map\" object");
        Path dir = index.toAbsolutePath().getParent();
        Map<String, Safetensors> shards = new LinkedHashMap<>();
        Map<String, Safetensors> byTensor = new LinkedHashMap<>();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String tensor = e.getKey();
                if (!e.getValue().isTextual()) {
                    throw new SafetensorsException(index + ": tensor '" + tensor + "': shard file name is not a string");
                }
                String shardName = e.getValue().asText();
                Path shardPath = dir.resolve(shardName).normalize();
                if (!shardPath.startsWith(dir)) {
                    throw new SafetensorsException(index + ": tensor '" + tensor + "': shard '" + shardName + "' is outside the checkpoint directory");
                }
                Safetensors shard = shards.get(shardName);
                if (shard == null) {
                    if (!Files.isRegularFile(shardPath)) {
                        throw new SafetensorsException(index + ": tensor '" + tensor + "': shard file " + shardPath + " is missing");
                    }
                    shard = Safetensors.openFile(shardPath);
                    shards.put(shardName, shard);
                }
                if (!shard.contains(tensor)) {
                    throw new SafetensorsException(index + ": tensor '" + tensor + "' is not in its shard " + shardPath);
                }
                byTensor.put(tensor, shard);
            }
        } catch (IOException | RuntimeException e) {
            shards.values().forEach(Safetensors::close);
            throw e;
        }
        return new ShardedSafetensors(index, Collections.unmodifiableMap(byTensor), shards);
    }

    private Safetensors shard(String name) throws SafetensorsException {
        Safetensors s = byTensor.get(name);
        if (s == null) throw new SafetensorsException(index + ": tensor '" + name + "': no such tensor in the weight map");
        return s;
    }

    @Override
    public Set<String> names() {
        return byTensor.keySet();
    }

    @Override
    public boolean contains(String name) {
        return byTensor.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) throws SafetensorsException {
        return shard(name).info(name);
    }

    @Override
    public MemorySegment segment(String name) throws SafetensorsException {
        return shard(name).segment(name);
    }

    @Override
    public Path file(String name) throws SafetensorsException {
        return shard(name).path();
    }

    @Override
    public Map<String, String> metadata() {
        return shards.isEmpty() ? Map.of() : shards.values().iterator().next().metadata();
    }

    @Override
    public void close() {
        shards.values().forEach(Safetensors::close);
    }
}
