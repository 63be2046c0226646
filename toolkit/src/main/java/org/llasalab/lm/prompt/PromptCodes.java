package org.llasalab.lm.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Codec codes of a voice prompt, as produced by the reference Python codec: a JSON array of ints
 * (nesting such as [[[...]]] is flattened) or a NumPy {@code .npy} file of integers (int16/32/64, any
 * shape, C order).
 */
public final class PromptCodes {
    private PromptCodes() {}

    public static int[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length >= 6 && bytes[0] == (byte) 0x93 && new String(bytes, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            return readNpy(file, bytes);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(bytes);
        } catch (IOException e) {
            throw new IOException(file + ": neither a .npy file nor JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IOException(file + ": expected a JSON array of codes");
        }
        List<Integer> codes = new ArrayList<>();
        flatten(file, root, codes);
        return codes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void flatten(Path file, JsonNode node, List<Integer> out) throws IOException {
        for (JsonNode n : node) {
            if (n.isArray()) {
                flatten(file, n, out);
            } else if (n.isIntegralNumber() && n.canConvertToInt()) {
                out.add(n.intValue());
            } else {
                throw new IOException(file + ": codes must be integers, found " + n);
            }
        }
    }

    /**
     * The codes as a NumPy {@code .npy} v1 file of little-endian int64 with shape [1, 1, n], the layout of the reference
     * codec's {@code encode_code} output ([batch, codebooks, frames]).
     */
    public static byte[] npy(int[] codes) {
        String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1, " + codes.length + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 8 * codes.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        buf.putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int c : codes) buf.putLong(c);
        return buf.array();
    }

    private static int[] readNpy(Path file, byte[] b) throws IOException {
        if (b.length < 10) throw new IOException(file + ": truncated .npy header");
        int major = b[6];
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerStart = major == 1 ? 10 : 12;
        if (b.length < headerStart) throw new IOException(file + ": truncated .npy header");
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
        if (headerLen < 0 || headerStart + headerLen > b.length) throw new IOException(file + ": truncated .npy header");
        String header = new String(b, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        if (header.contains("'fortran_order': True")) throw new IOException(file + ": Fortran-order arrays are not supported");
        int width;
        boolean big = header.contains("'>");
        if (header.matches("(?s).*'descr': '[<>|=]i8'.*")) width = 8;
        else if (header.matches("(?s).*'descr': '[<>|=]i4'.*")) width = 4;
        else if (header.matches("(?s).*'descr': '[<>|=]i2'.*")) width = 2;
        else throw new IOException(file + ": .npy dtype must be int16, int32 or int64, header " + header.trim());
        buf.order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int start = headerStart + headerLen;
        int n = (b.length - start) / width;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int at = start + i * width;
            long v = width == 8 ? buf.getLong(at) : width == 4 ? buf.getInt(at) : buf.getShort(at);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new IOException(file + ": code " + v + " out of range");
            out[i] = (int) v;
        }
        return out;
    }
}
