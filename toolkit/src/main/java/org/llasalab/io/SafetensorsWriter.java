package org.llasalab.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

/** Writes safetensors files atomically (through {@link AtomicFiles}). */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {}

    public static void write(Path file, Map<String, ? extends TensorData> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (in the map's iteration order) with optional {@code __metadata__} to
     * {@code file}. The header is padded with spaces to a multiple of 8 bytes so that the data section
     * is 8-byte aligned.
     */
    public static void write(Path file, Map<String, ? extends TensorData> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, ? extends TensorData> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("'__metadata__' is reserved");
            TensorData t = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : t.shape()) shape.add(d);
            long size = t.byteSize();
            entry.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        AtomicFiles.writeChannel(file, ch -> {
            while (head.hasRemaining()) ch.write(head);
            for (Map.Entry<String, ? extends TensorData> e : tensors.entrySet()) {
                long before = ch.position();
                e.getValue().writeTo(ch);
                long written = ch.position() - before;
                if (written != e.getValue().byteSize()) {
                    throw new IOException(file + ": tensor '" + e.getKey() + "' wrote " + written
                            + " bytes, expected " + e.getValue().byteSize());
                }
            }
        });
    }

}
