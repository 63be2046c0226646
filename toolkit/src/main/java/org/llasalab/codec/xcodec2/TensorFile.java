package org.llasalab.codec.xcodec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the tensors of a {@code .safetensors} file (memory-mapped through the FFM API, so files above
 * 2 GB work) as float32 arrays, converting F16/BF16. Only the codec's own loader uses it; names that
 * are never asked for are never read.
 */
final class TensorFile implements AutoCloseable {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    record Entry(String dtype, int[] shape, long begin, long end) {}

    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, Entry> entries;

    private TensorFile(Path file, Arena arena, MemorySegment data, Map<String, Entry> entries) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.entries = entries;
    }

    static TensorFile open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new IOException(file + ": not a safetensors file (" + size + " bytes)");
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long headerLen = all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLen <= 0 || headerLen > size - 8 || headerLen > Integer.MAX_VALUE) {
                throw new IOException(file + ": not a safetensors file (header length " + headerLen + ", file " + size + " bytes)");
            }
            byte[] header = all.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(new String(header, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException(file + ": malformed safetensors header: " + e.getMessage(), e);
            }
            MemorySegment data = all.asSlice(8 + headerLen);
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) continue;
                JsonNode t = e.getValue();
                JsonNode shapeNode = t.path("shape");
                JsonNode offsets = t.path("data_offsets");
                if (!t.path("dtype").isTextual() || !shapeNode.isArray() || offsets.size() != 2) {
                    throw new IOException(file + ": malformed entry for tensor " + e.getKey());
                }
                int[] shape = new int[shapeNode.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeNode.get(i).asInt();
                    count *= shape[i];
                }
                long begin = offsets.get(0).asLong();
                long end = offsets.get(1).asLong();
                String dtype = t.get("dtype").asText();
                int width = switch (dtype) {
                    case "F32" -> 4;
                    case "F16", "BF16" -> 2;
                    default -> 0;
                };
                if (begin < 0 || end < begin || end > data.byteSize() || (width > 0 && end - begin != count * width)) {
                    throw new IOException(file + ": tensor " + e.getKey() + " has bad offsets [" + begin + ", " + end
                            + ") for " + dtype + " " + java.util.Arrays.toString(shape) + " (data " + data.byteSize() + " bytes)");
                }
                entries.put(e.getKey(), new Entry(dtype, shape, begin, end));
            }
            return new TensorFile(file, arena, data, entries);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** The tensor {@code name} as float32. */
    Tensor read(String name) throws IOException {
        Entry e = entries.get(name);
        if (e == null) throw new IOException(file + ": no tensor " + name);
        int n = Math.toIntExact((e.end() - e.begin()) / (e.dtype().equals("F32") ? 4 : 2));
        float[] out = new float[n];
        switch (e.dtype()) {
            case "F32" -> MemorySegment.copy(data, F32, e.begin(), out, 0, n);
            case "BF16" -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((data.get(I16, e.begin() + 2L * i) & 0xFFFF) << 16);
            }
            case "F16" -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(data.get(I16, e.begin() + 2L * i));
            }
            default -> throw new IOException(file + ": tensor " + name + " has unsupported dtype " + e.dtype()
                    + " (F32, F16 and BF16 are read)");
        }
        return new Tensor(name, e.shape(), out);
    }

    @Override
    public void close() {
        arena.close();
    }
}
