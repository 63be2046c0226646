package org.llasalab.codec.xcodec2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a little-endian float32 {@code .npy} (v1/v2) file, flattened. Test helper. */
final class Npy {
    private Npy() {}

    static float[] readFloats(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length < 10 || b[0] != (byte) 0x93 || b[1] != 'N') throw new IOException(file + ": not a .npy file");
        int major = b[6];
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLen;
        String header = new String(b, major == 1 ? 10 : 12, headerLen, StandardCharsets.ISO_8859_1);
        if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
            throw new IOException(file + ": expected C-order little-endian float32, header " + header);
        }
        float[] out = new float[(b.length - start) / 4];
        for (int i = 0; i < out.length; i++) out[i] = buf.getFloat(start + 4 * i);
        return out;
    }
}
