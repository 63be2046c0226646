package org.llasalab.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see the old content or the whole new one: the new content goes to a hidden
 * temp file in the target's folder ({@code .NAME-RANDOM.tmp}), is fsynced, then renamed over the target
 * (atomically where the file system allows, a plain replace otherwise). On any failure the temp file is
 * removed and the target keeps its old content. I/O errors name the target file ({@code FILE: cannot write: ...}).
 *
 * <p>The temp file is created with the default permissions (as {@link Files#write} would), not the
 * owner-only ones of {@link Files#createTempFile}, so the result looks like any other file the process writes.
 */
public final class AtomicFiles {
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {}

    /** Writes {@code text} as UTF-8. */
    public static void write(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path file, byte[] bytes) throws IOException {
        writeChannel(file, ch -> {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf);
        });
    }

    /**
     * Writes through a callback that fills the temp file by its path (for APIs that want a path or a
     * {@link java.io.File}); the file is then fsynced and renamed over {@code file}.
     */
    public static void write(Path file, IoConsumer<Path> writer) throws IOException {
        replace(file, tmp -> {
            writer.accept(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        });
    }

    /**
     * Writes through a callback that gets a buffered stream over the (empty) temp file. The callback may close
     * the stream or leave it open.
     */
    public static void writeStream(Path file, IoConsumer<OutputStream> writer) throws IOException {
        write(file, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                writer.accept(out);
            }
        });
    }

    /**
     * Writes through a callback that gets a channel over the (empty) temp file, positioned at 0; the callback
     * must not close it.
     */
    public static void writeChannel(Path file, IoConsumer<FileChannel> writer) throws IOException {
        replace(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writer.accept(ch);
                ch.force(true);
            }
        });
    }

    /** Creates the temp file, lets {@code fill} write and sync it, renames it over {@code file}. */
    private static void replace(Path file, IoConsumer<Path> fill) throws IOException {
        Path tmp = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            tmp = createTemp(parent, file.getFileName().toString());
            fill.accept(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw naming(file, e);
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path tmp = dir.resolve("." + name + "-" + random + TEMP_SUFFIX);
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    /** {@code e} itself when its message already has the project's "FILE: problem" form, else a wrapper that has. */
    private static IOException naming(Path file, IOException e) {
        String message = e.getMessage();
        if (message != null && message.startsWith(file + ": ")) return e;
        return new IOException(file + ": cannot write: " + (message != null ? message : e.getClass().getSimpleName()), e);
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // The write already failed or succeeded; a leftover hidden .tmp file is harmless.
        }
    }

    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }
}
