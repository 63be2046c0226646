package org.llasalab.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file with the given header text followed by {@code dataBytes} zero bytes. */
    private Path raw(String name, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private static void assertNames(Exception e, Path file, String tensor) {
        assertTrue(e.getMessage().contains(file.toString()), "message names the file: " + e.getMessage());
        if (tensor != null) assertTrue(e.getMessage().contains("'" + tensor + "'"), "message names the tensor: " + e.getMessage());
    }

    @Test
    void roundTripAllFloatFormatsAndMetadata() throws IOException {
        float[] a = {1f, -2.5f, 3.14159f, 1e-3f, 65504f, -0f};
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("a.f32", TensorData.f32(a, 2, 3));
        t.put("a.bf16", TensorData.bf16(a, 3, 2));
        t.put("a.f16", TensorData.f16(a, 6));
        t.put("ids", TensorData.ofBytes(DType.I64, new long[] {2}, new byte[] {7, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0}));
        Path p = dir.resolve("x.safetensors");
        SafetensorsWriter.write(p, t, Map.of("format", "pt"));
        try (TensorStore s = TensorStore.open(p)) {
            assertEquals(java.util.List.of("a.f32", "a.bf16", "a.f16", "ids"), java.util.List.copyOf(s.names()));
            assertEquals("pt", s.metadata().get("format"));
            assertArrayEquals(new long[] {2, 3}, s.shape("a.f32"));
            assertEquals(DType.BF16, s.dtype("a.bf16"));
            assertArrayEquals(a, s.toFloatArray("a.f32"));
            float[] bf = s.toFloatArray("a.bf16");
            float[] hf = s.toFloatArray("a.f16");
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], bf[i], Math.abs(a[i]) / 128 + 1e-30f);
                assertEquals(a[i], hf[i], Math.abs(a[i]) / 1024 + 1e-6f);
            }
            MemorySegment ids = s.segment("ids");
            assertEquals(9L, ids.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8));
            assertThrows(SafetensorsException.class, () -> s.toFloatArray("ids"));
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> s.info("nope"));
            assertNames(e, p, "nope");
        }
        // data section is 8-byte aligned
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
        assertFalse(Files.list(dir).anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temp file left");
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertEquals((short) 0x3f80, FloatConversions.floatToBf16(1.0f));
        // 1 + 2^-8 is exactly halfway between 1.0 and 1 + 2^-7: ties to even (1.0)
        assertEquals((short) 0x3f80, FloatConversions.floatToBf16(Float.intBitsToFloat(0x3f808000)));
        // halfway above an odd mantissa rounds up
        assertEquals((short) 0x3f82, FloatConversions.floatToBf16(Float.intBitsToFloat(0x3f818000)));
        assertEquals((short) 0x3f81, FloatConversions.floatToBf16(Float.intBitsToFloat(0x3f808001)));
        assertTrue(Float.isNaN(FloatConversions.bf16ToFloat(FloatConversions.floatToBf16(Float.NaN))));
        assertEquals(Float.POSITIVE_INFINITY, FloatConversions.bf16ToFloat(FloatConversions.floatToBf16(Float.MAX_VALUE)));
    }

    @Test
    void truncatedFile() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafetensorsWriter.write(good, Map.of("w", TensorData.f32(new float[16], 4, 4)));
        byte[] all = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 10));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorStore.open(cut));
        assertNames(e, cut, "w");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertNames(assertThrows(SafetensorsException.class, () -> TensorStore.open(tiny)), tiny, null);
    }

    @Test
    void hugeHeaderLengthIsRejectedBeforeAllocating() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(Long.MAX_VALUE - 3);
        Path p = dir.resolve("huge.safetensors");
        Files.write(p, b.array());
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorStore.open(p));
        assertNames(e, p, null);
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
        ByteBuffer neg = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L);
        Files.write(p, neg.array());
        assertThrows(SafetensorsException.class, () -> TensorStore.open(p));
    }

    @Test
    void headerNotJson() throws IOException {
        Path p = raw("notjson.safetensors", "{\"w\": {\"dtype\": \"F32\", ", 16);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorStore.open(p));
        assertNames(e, p, null);
        assertTrue(e.getMessage().contains("JSON"), e.getMessage());
        Path arr = raw("array.safetensors", "[1, 2, 3]", 0);
        assertNames(assertThrows(SafetensorsException.class, () -> TensorStore.open(arr)), arr, null);
    }

    @Test
    void overlappingOffsets() throws IOException {
        Path p = raw("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorStore.open(p));
        assertNames(e, p, "b");
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }

    @Test
    void outOfRangeOffsets() throws IOException {
        Path p = raw("range.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,32]}}", 16);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorStore.open(p));
        assertNames(e, p, "a");
        Path back = raw("backwards.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", 16);
        assertNames(assertThrows(SafetensorsException.class, () -> TensorStore.open(back)), back, "a");
    }

    @Test
    void spanShapeMismatch() throws IOException {
        Path p = raw("span.safetensors", "{\"a\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", 16);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorStore.open(p));
        assertNames(e, p, "a");
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void unknownDtype() throws IOException {
        Path p = raw("dtype.safetensors", "{\"a\":{\"dtype\":\"Q4_K\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorStore.open(p));
        assertNames(e, p, "a");
        assertTrue(e.getMessage().contains("Q4_K"), e.getMessage());
    }

    @Test
    void integerDtypesInHeader() throws IOException {
        Path p = raw("ints.safetensors", "{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[2,4]},"
                + "\"c\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                + "\"d\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[8,9]},"
                + "\"e\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[12,16]},"
                + "\"f\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]}}", 24);
        try (TensorStore s = TensorStore.open(p)) {
            assertEquals(DType.BOOL, s.dtype("b"));
            assertEquals(DType.F64, s.dtype("f"));
            assertEquals(1, s.info("d").elementCount());
            assertEquals(8, s.segment("f").byteSize());
        }
    }

    @Test
    void shardedIndexOpensAllShardsAsOneStore() throws IOException {
        Path ckpt = Files.createDirectory(dir.resolve("ckpt"));
        SafetensorsWriter.write(ckpt.resolve("model-00001-of-00002.safetensors"), Map.of("x", TensorData.f32(new float[] {1, 2}, 2)));
        SafetensorsWriter.write(ckpt.resolve("model-00002-of-00002.safetensors"), Map.of("y", TensorData.bf16(new float[] {3, 4, 5}, 3)));
        Files.writeString(ckpt.resolve(Safetensors.INDEX_NAME), "{\"metadata\":{\"total_size\":14},\"weight_map\":{"
                + "\"x\":\"model-00001-of-00002.safetensors\",\"y\":\"model-00002-of-00002.safetensors\"}}");
        for (Path open : new Path[] {ckpt, ckpt.resolve(Safetensors.INDEX_NAME)}) {
            try (TensorStore s = TensorStore.open(open)) {
                assertEquals(java.util.Set.of("x", "y"), s.names());
                assertArrayEquals(new float[] {1, 2}, s.toFloatArray("x"));
                assertArrayEquals(new float[] {3, 4, 5}, s.toFloatArray("y"));
                assertTrue(s.file("y").endsWith("model-00002-of-00002.safetensors"));
            }
        }
        Files.writeString(ckpt.resolve(Safetensors.INDEX_NAME), "{\"weight_map\":{"
                + "\"x\":\"model-00001-of-00002.safetensors\",\"z\":\"model-00003-of-00002.safetensors\"}}");
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> TensorStore.open(ckpt));
        assertNames(e, ckpt.resolve(Safetensors.INDEX_NAME), "z");
        assertTrue(e.getMessage().contains("model-00003-of-00002.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void filesOver2GbAreMapped() throws IOException {
        // a sparse file: 2.5 GB of data section, only the header is written
        long big = 2_600_000_000L;
        String header = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + big + "],\"data_offsets\":[0," + big + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path p = dir.resolve("big.safetensors");
        try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.SPARSE)) {
            ByteBuffer b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).flip();
            ch.write(b);
            ch.write(ByteBuffer.wrap(new byte[] {42}), 8 + h.length + big - 1);
        }
        try (TensorStore s = TensorStore.open(p)) {
            MemorySegment seg = s.segment("big");
            assertEquals(big, seg.byteSize());
            assertEquals(42, seg.get(ValueLayout.JAVA_BYTE, big - 1));
        }
    }
}
