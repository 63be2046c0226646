package org.llasalab.verifiers.whisper;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.verify.Verifiers;

/** The whisper back-end fails cleanly, naming the file, on missing, corrupt and truncated model files. */
class WhisperModelFileTest {
    /** A ggml file with a tiny header, vocabulary and the given tensors (name → float32 values). */
    private static byte[] ggml(int nVocab, String... tensorNames) {
        return ggml(1, nVocab, tensorNames);
    }

    private static byte[] ggml(int ftype, int nVocab, String... tensorNames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(GgmlModelFile.MAGIC);
        for (int v : new int[] {nVocab, 8, 4, 1, 1, 8, 4, 1, 1, 4, ftype}) b.putInt(v); // hparams
        b.putInt(4).putInt(3);                    // mel filters 4 x 3
        for (int i = 0; i < 12; i++) b.putFloat(0.5f);
        b.putInt(2);                              // two tokens
        for (String t : new String[] {"a", "bc"}) {
            byte[] bytes = t.getBytes(StandardCharsets.UTF_8);
            b.putInt(bytes.length).put(bytes);
        }
        for (String name : tensorNames) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            b.putInt(2).putInt(n.length).putInt(0).putInt(4).putInt(2).put(n);
            for (int i = 0; i < 8; i++) b.putFloat(i);
        }
        out.write(b.array(), 0, b.position());
        return out.toByteArray();
    }

    private static IllegalArgumentException createFails(Path dir, String model) {
        return assertThrows(IllegalArgumentException.class,
                () -> Verifiers.create("wer", Map.of("asr", "whisper", "model", model), dir));
    }

    @Test
    void missingModelFile(@TempDir Path dir) {
        IllegalArgumentException e = createFails(dir, "ggml-large-v3.bin");
        assertTrue(e.getMessage().contains(dir.resolve("ggml-large-v3.bin").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void notAGgmlFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("model.bin"), "<html>404 Not Found</html>");
        IllegalArgumentException e = createFails(dir, "model.bin");
        assertTrue(e.getMessage().contains(dir.resolve("model.bin").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a whisper.cpp ggml model"), e.getMessage());
    }

    @Test
    void emptyFile(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("empty.bin"), new byte[0]);
        IllegalArgumentException e = createFails(dir, "empty.bin");
        assertTrue(e.getMessage().contains("empty.bin") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedFile(@TempDir Path dir) throws IOException {
        byte[] whole = ggml(2, "encoder.conv1.bias");
        GgmlModelFile.check(Files.write(dir.resolve("whole.bin"), whole));
        for (int cut : new int[] {30, 60, whole.length - 5}) {
            Path file = Files.write(dir.resolve("cut" + cut + ".bin"), Arrays.copyOf(whole, cut));
            IOException e = assertThrows(IOException.class, () -> GgmlModelFile.check(file));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        }
        IllegalArgumentException e = createFails(dir, "cut60.bin");
        assertTrue(e.getMessage().contains("cut60.bin"), e.getMessage());
    }

    @Test
    void headerOnlyFileHasNoTensors(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("notensors.bin"), ggml(2));
        IllegalArgumentException e = createFails(dir, "notensors.bin");
        assertTrue(e.getMessage().contains("no tensors"), e.getMessage());
    }

    @Test
    void float32ModelsAreRefusedBeforeWhisperCppCouldAbort(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("f32.bin"), ggml(0, 2, "encoder.conv1.bias"));
        IllegalArgumentException e = createFails(dir, "f32.bin");
        assertTrue(e.getMessage().contains("f32.bin") && e.getMessage().contains("float32"), e.getMessage());
    }

    @Test
    void wellFormedButWrongModelIsRejectedByWhisperCpp(@TempDir Path dir) throws IOException {
        // Structurally sound, so it reaches whisper.cpp, which must refuse it (unknown tensor) without crashing.
        Files.write(dir.resolve("wrong.bin"), ggml(2, "not.a.whisper.tensor"));
        IllegalArgumentException e = createFails(dir, "wrong.bin");
        assertTrue(e.getMessage().contains(dir.resolve("wrong.bin").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cannot load model file"), e.getMessage());
    }
}
