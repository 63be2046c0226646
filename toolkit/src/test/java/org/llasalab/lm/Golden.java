package org.llasalab.lm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The golden reference of the tiny Llama (test resources golden/llama, see its README). */
final class Golden {
    static final Path DIR;
    static final Path MODEL;
    static final JsonNode JSON;

    static {
        try {
            DIR = Path.of(Golden.class.getResource("/golden/llama/golden.json").toURI()).getParent();
            MODEL = DIR.resolve("tiny-llama3");
            JSON = new ObjectMapper().readTree(DIR.resolve("golden.json").toFile());
        } catch (IOException | URISyntaxException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Golden() {}

    static int[] ints(String key) {
        JsonNode n = JSON.get(key);
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asInt();
        return out;
    }

    static float[] floats(JsonNode n) {
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) n.get(i).asDouble();
        return out;
    }

    /** A 2-D float32 little-endian .npy (v1) file as rows. */
    static float[][] npy2d(String name) throws IOException {
        byte[] all = Files.readAllBytes(DIR.resolve(name));
        int headerLen = (all[8] & 0xff) | (all[9] & 0xff) << 8;
        String header = new String(all, 10, headerLen, StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) throw new IOException(name + ": not C-order <f4");
        String shape = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')', header.indexOf("'shape'")));
        String[] dims = shape.split(",");
        int rows = Integer.parseInt(dims[0].trim()), cols = Integer.parseInt(dims[1].trim());
        ByteBuffer b = ByteBuffer.wrap(all, 10 + headerLen, rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[rows][cols];
        for (float[] row : out) for (int j = 0; j < cols; j++) row[j] = b.getFloat();
        return out;
    }

    static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
