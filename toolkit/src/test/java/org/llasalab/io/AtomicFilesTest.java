package org.llasalab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path dir;

    /** Every name in {@code folder}, sorted: catches a temp file left behind. */
    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTextAndCreatesTheFolder() throws IOException {
        Path file = dir.resolve("a/b/notes.txt");
        AtomicFiles.write(file, "héllo\n");
        assertEquals("héllo\n", Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(List.of("notes.txt"), names(file.getParent()));
    }

    @Test
    void bytesReplaceTheOldContent() throws IOException {
        Path file = dir.resolve("data.bin");
        Files.write(file, new byte[] {9, 9, 9, 9, 9});
        AtomicFiles.write(file, new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(file));
        assertEquals(List.of("data.bin"), names(dir));
    }

    @Test
    void pathCallbackReplacesTheOldContent() throws IOException {
        Path file = dir.resolve("table.csv");
        Files.writeString(file, "old\n");
        AtomicFiles.write(file, tmp -> {
            assertEquals(dir, tmp.getParent());
            assertTrue(tmp.getFileName().toString().startsWith(".table.csv-"));
            assertTrue(tmp.getFileName().toString().endsWith(".tmp"));
            Files.writeString(tmp, "a,b\n1,2\n");
        });
        assertEquals("a,b\n1,2\n", Files.readString(file));
        assertEquals(List.of("table.csv"), names(dir));
    }

    @Test
    void failingCallbackKeepsTheOldContentAndNamesTheFile() throws IOException {
        Path file = dir.resolve("keep.txt");
        Files.writeString(file, "old\n");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, tmp -> {
            Files.writeString(tmp, "half of the new");
            throw new IOException("disk on fire");
        }));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
        assertEquals("disk on fire", e.getCause().getMessage());
        assertEquals("old\n", Files.readString(file));
        assertEquals(List.of("keep.txt"), names(dir));
    }

    @Test
    void uncheckedFailureLeavesNoTempFileAndPropagatesAsItIs() throws IOException {
        Path file = dir.resolve("keep.txt");
        Files.writeString(file, "old\n");
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFiles.writeStream(file, out -> {
            out.write(new byte[100]);
            throw bug;
        })));
        assertEquals("old\n", Files.readString(file));
        assertEquals(List.of("keep.txt"), names(dir));
    }

    @Test
    void errorThatAlreadyNamesTheFileIsNotWrappedAgain() {
        Path file = dir.resolve("model.safetensors");
        IOException mine = new IOException(file + ": tensor 'w' wrote 3 bytes, expected 4");
        assertSame(mine, assertThrows(IOException.class, () -> AtomicFiles.writeChannel(file, ch -> {
            throw mine;
        })));
        assertTrue(Files.notExists(file));
    }

    @Test
    void streamCallbackMayCloseTheStream() throws IOException {
        Path file = dir.resolve("cache.bin");
        AtomicFiles.writeStream(file, stream -> {
            try (DataOutputStream out = new DataOutputStream(stream)) {
                out.writeInt(0x4C4C5543);
                out.writeUTF("x");
            }
        });
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        assertEquals(0x4C4C5543, b.getInt());
        assertEquals(1, b.getShort());
        assertEquals('x', b.get());
        assertEquals(List.of("cache.bin"), names(dir));
    }

    @Test
    void channelCallbackWritesFromTheStart() throws IOException {
        Path file = dir.resolve("long.bin");
        Files.write(file, new byte[64]);
        AtomicFiles.writeChannel(file, ch -> {
            assertEquals(0, ch.position());
            ch.write(ByteBuffer.wrap(new byte[] {7, 7, 7}));
        });
        assertArrayEquals(new byte[] {7, 7, 7}, Files.readAllBytes(file));
    }

    @Test
    void resultHasTheSamePermissionsAsAPlainWrite() throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) return;
        Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, "x");
        Path atomic = dir.resolve("atomic.txt");
        AtomicFiles.write(atomic, "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }
}
