package org.llasalab.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float32 tensors of a training checkpoint (weights and optimizer moments) in the safetensors layout
 * (8-byte little-endian header length, JSON header, raw little-endian data), so a checkpoint can be read by
 * any safetensors tool. Writes go to the given path directly; callers make the enclosing folder atomic.
 */
final class F32TensorFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private F32TensorFile() {}

    static void write(Path file, Map<String, INDArray> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            long bytes = e.getValue().length() * 4L;
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (long d : e.getValue().shape()) shape.add(d);
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(json);
            while (head.position() < head.capacity()) head.put((byte) ' ');
            head.flip();
            while (head.hasRemaining()) ch.write(head);
            for (INDArray a : tensors.values()) {
                float[] values = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
                ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(values);
                while (buf.hasRemaining()) ch.write(buf);
            }
            ch.force(true);
        }
    }

    static Map<String, INDArray> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) throw new IOException(file + ": truncated tensor file (" + all.length + " bytes)");
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength < 2 || headerLength > all.length - 8) throw new IOException(file + ": bad header length " + headerLength);
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(file + ": malformed header: " + e.getMessage(), e);
        }
        long dataStart = 8 + headerLength;
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            JsonNode entry = e.getValue();
            if (!"F32".equals(entry.path("dtype").asText())) throw new IOException(file + ": tensor " + e.getKey() + " is not F32");
            long[] shape = new long[entry.path("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) count *= shape[i] = entry.path("shape").get(i).asLong();
            long begin = entry.path("data_offsets").get(0).asLong(), end = entry.path("data_offsets").get(1).asLong();
            if (end - begin != count * 4 || dataStart + end > all.length) {
                throw new IOException(file + ": tensor " + e.getKey() + " has inconsistent offsets");
            }
            float[] values = new float[(int) count];
            ByteBuffer.wrap(all, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(values);
            out.put(e.getKey(), Nd4j.create(values, shape, 'c'));
        }
        return out;
    }
}
