package org.llasalab.lm.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptCodesTest {
    @TempDir
    Path dir;

    /** A .npy v1 file as NumPy writes it: magic, version, header padded to 64 bytes, then the data. */
    private Path npy(String name, String descr, long[] values, int width) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1, 1, " + values.length + "), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (long v : values) {
            if (width == 8) b.putLong(v);
            else b.putInt((int) v);
        }
        return Files.write(dir.resolve(name), b.array());
    }

    @Test
    void readsNpyAndNestedJson() throws Exception {
        assertArrayEquals(new int[] {0, 65535, 12}, PromptCodes.read(npy("a.npy", "<i8", new long[] {0, 65535, 12}, 8)));
        assertArrayEquals(new int[] {7, 3}, PromptCodes.read(npy("b.npy", "<i4", new long[] {7, 3}, 4)));
        assertArrayEquals(new int[] {1, 2, 3}, PromptCodes.read(Files.writeString(dir.resolve("c.json"), "[[[1, 2, 3]]]")));
    }

    @Test
    void badFilesNameTheFileAndProblem() throws Exception {
        Path floats = npy("f.npy", "<f4", new long[] {1}, 4);
        IOException e = assertThrows(IOException.class, () -> PromptCodes.read(floats));
        assertTrue(e.getMessage().contains("f.npy") && e.getMessage().contains("int"), e.getMessage());
        Path text = Files.writeString(dir.resolve("t.json"), "[1, 2.5]");
        e = assertThrows(IOException.class, () -> PromptCodes.read(text));
        assertTrue(e.getMessage().contains("t.json") && e.getMessage().contains("2.5"), e.getMessage());
        Path notJson = Files.writeString(dir.resolve("n.txt"), "hello");
        e = assertThrows(IOException.class, () -> PromptCodes.read(notJson));
        assertTrue(e.getMessage().contains("n.txt"), e.getMessage());
        e = assertThrows(IOException.class, () -> PromptCodes.read(dir.resolve("missing.json")));
        assertTrue(e.getMessage().contains("missing.json"), e.getMessage());
    }
}
