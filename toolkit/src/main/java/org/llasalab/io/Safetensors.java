package org.llasalab.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reader of the safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * header ({@code name -> {dtype, shape, data_offsets}} plus optional {@code __metadata__}), then the
 * data section. The whole file is memory mapped through the FFM API (files over 2 GB work).
 */
public final class Safetensors implements TensorStore {
    /** Upper bound on the header size, as in the reference implementation (100 MB). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    public static final String INDEX_NAME = "model.safetensors.index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Arena arena;
    private final MemorySegment data;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private Safetensors(Path file, Arena arena, MemorySegment data, Map<String, TensorInfo> tensors,
                        Map<String, String> metadata) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Opens {@code path}: a safetensors file, an index json, or a directory with
     * {@code model.safetensors.index.json}, {@code model.safetensors} or exactly one {@code *.safetensors}.
     */
    public static TensorStore open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path index = path.resolve(INDEX_NAME);
            if (Files.isRegularFile(index)) return ShardedSafetensors.open(index);
            Path single = path.resolve("model.safetensors");
            if (Files.isRegularFile(single)) return openFile(single);
            List<Path> found = new ArrayList<>();
            try (var s = Files.list(path)) {
                s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().forEach(found::add);
            }
            if (found.size() == 1) return openFile(found.getFirst());
            throw new SafetensorsException(path + ": no " + INDEX_NAME + " or model.safetensors in this directory"
                    + (found.isEmpty() ? "" : " (found " + found.size() + " .safetensors files but no index)"));
        }
        if (path.getFileName() != null && path.getFileName().toString().endsWith(".json")) {
            return ShardedSafetensors.open(path);
        }
        return openFile(path);
    }

    /** Opens and validates one safetensors file. */
    public static Safetensors openFile(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "safetensors file not found");
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw SafetensorsException.of(file, null, "file is " + size + " bytes, shorter than the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > size - 8) {
                throw SafetensorsException.of(file, null, "header length " + Long.toUnsignedString(headerLen)
                        + " does not fit in the file (" + size + " bytes); truncated or not a safetensors file");
            }
            if (headerLen > MAX_HEADER_BYTES) {
                throw SafetensorsException.of(file, null, "header length " + headerLen + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, file);
            String headerText = new String(headerBuf.array(), StandardCharsets.UTF_8);
            long dataSize = size - 8 - headerLen;
            Header header = parseHeader(file, headerText, dataSize);
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            MemorySegment data = whole.asSlice(8 + headerLen, dataSize);
            return new Safetensors(file, arena, data, header.tensors, header.metadata);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) throw SafetensorsException.of(file, null, "unexpected end of file");
        }
    }

    private record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata) {}

    private static Header parseHeader(Path file, String text, long dataSize) throws SafetensorsException {
        JsonNode root;
        try {
            root = JSON.readTree(text.strip());
        } catch (JsonProcessingException e) {
            throw SafetensorsException.of(file, null, "header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw SafetensorsException.of(file, null, "header is not a JSON object");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode node = e.getValue();
            if (name.equals("__metadata__")) {
                if (!node.isObject()) throw SafetensorsException.of(file, null, "__metadata__ is not a JSON object");
                for (Iterator<Map.Entry<String, JsonNode>> m = node.fields(); m.hasNext(); ) {
                    Map.Entry<String, JsonNode> kv = m.next();
                    if (!kv.getValue().isTextual()) {
                        throw SafetensorsException.of(file, null, "__metadata__ value of '" + kv.getKey() + "' is not a string");
                    }
                    metadata.put(kv.getKey(), kv.getValue().asText());
                }
                continue;
            }
            tensors.put(name, parseEntry(file, name, node, dataSize));
        }
        checkNoOverlap(file, tensors);
        return new Header(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode node, long dataSize) throws SafetensorsException {
        if (!node.isObject()) throw SafetensorsException.of(file, name, "entry is not a JSON object");
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) throw SafetensorsException.of(file, name, "missing dtype");
        DType dtype = DType.fromHeader(dtypeNode.asText());
        if (dtype == null) throw SafetensorsException.of(file, name, "unknown dtype '" + dtypeNode.asText() + "'");
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) throw SafetensorsException.of(file, name, "missing shape array");
        long[] shape = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw SafetensorsException.of(file, name, "shape " + shapeNode + " has an invalid dimension");
            }
            shape[i] = d.asLong();
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException ex) {
                throw SafetensorsException.of(file, name, "shape " + shapeNode + " overflows");
            }
        }
        JsonNode off = node.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2 || !off.get(0).isIntegralNumber() || !off.get(1).isIntegralNumber()
                || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
            throw SafetensorsException.of(file, name, "data_offsets must be two integers");
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw SafetensorsException.of(file, name, "data_offsets [" + begin + ", " + end + "] are invalid");
        }
        if (end > dataSize) {
            throw SafetensorsException.of(file, name, "data_offsets [" + begin + ", " + end
                    + "] run past the end of the data section (" + dataSize + " bytes); file truncated?");
        }
        long expected;
        try {
            expected = Math.multiplyExact(elements, dtype.bytes());
        } catch (ArithmeticException ex) {
            throw SafetensorsException.of(file, name, "shape " + shapeNode + " overflows");
        }
        if (end - begin != expected) {
            throw SafetensorsException.of(file, name, "byte span " + (end - begin) + " does not match shape "
                    + shapeNode + " x " + dtype + " (" + expected + " bytes)");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static void checkNoOverlap(Path file, Map<String, TensorInfo> tensors) throws SafetensorsException {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        TensorInfo prev = null;
        for (TensorInfo t : sorted) {
            if (t.byteSize() == 0) continue;
            if (prev != null && t.begin() < prev.end()) {
                throw SafetensorsException.of(file, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] overlap tensor '" + prev.name() + "' [" + prev.begin() + ", " + prev.end() + "]");
            }
            prev = t;
        }
    }

    /** Parses and validates only the header of {@code file} (for tools that inspect checkpoints). */
    public static Map<String, TensorInfo> readHeader(Path file) throws IOException {
        try (Safetensors s = openFile(file)) {
            return s.tensors;
        }
    }

    public Path path() {
        return file;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) throws SafetensorsException {
        TensorInfo info = tensors.get(name);
        if (info == null) throw SafetensorsException.of(file, name, "no such tensor");
        return info;
    }

    @Override
    public MemorySegment segment(String name) throws SafetensorsException {
        TensorInfo info = info(name);
        return data.asSlice(info.begin(), info.byteSize()).asReadOnly();
    }

    @Override
    public Path file(String name) {
        return file;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }

    static ObjectNode parseJsonObject(Path file, String what) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SafetensorsException(file + ": " + what + " is not UTF-8 text (" + e.getMessage() + ")");
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(file + ": " + what + " is not valid JSON: " + Printable.of(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) throw new SafetensorsException(file + ": " + what + " is not a JSON object");
        return (ObjectNode) root;
    }
}
