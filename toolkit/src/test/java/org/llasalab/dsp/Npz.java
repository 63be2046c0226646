package org.llasalab.dsp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Test helper: reads little-endian float32 C-order arrays from a NumPy .npz (a zip of .npy files). */
final class Npz {
    record Array(int[] shape, float[] data) {}

    private Npz() {}

    static Map<String, Array> read(InputStream in) throws IOException {
        Map<String, Array> out = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName().replaceFirst("\\.npy$", "");
                out.put(name, parseNpy(zip.readAllBytes()));
            }
        }
        return out;
    }

    static Array parseNpy(byte[] b) throws IOException {
        if (b.length < 10 || b[0] != (byte) 0x93 || !new String(b, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new IOException("not a .npy array");
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int major = b[6];
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
        int headerStart = major == 1 ? 10 : 12;
        String header = new String(b, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        if (!header.contains("'descr': '<f4'") || header.contains("'fortran_order': True")) {
            throw new IOException("only little-endian float32 C-order arrays are supported: " + header);
        }
        Matcher m = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(header);
        if (!m.find()) throw new IOException("no shape in .npy header: " + header);
        String[] dims = m.group(1).split(",");
        int count = 0;
        int[] shape = new int[dims.length];
        int total = 1;
        for (String d : dims) {
            if (d.isBlank()) continue;
            shape[count] = Integer.parseInt(d.trim());
            total *= shape[count++];
        }
        int[] trimmed = java.util.Arrays.copyOf(shape, count);
        float[] data = new float[total];
        buf.position(headerStart + headerLen);
        buf.asFloatBuffer().get(data);
        return new Array(trimmed, data);
    }
}
