package org.llasalab.eval.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cheap identity of a model or codec folder: for every file in it (sorted by relative path), the
 * path, the size and a SHA-256 of its first and last 64 KiB. Copies of a folder share the fingerprint;
 * retrained or replaced weights change it. Reads at most 128 KiB per file, so multi-GB checkpoints cost
 * nothing.
 */
public final class ModelFingerprint {
    static final int EDGE = 64 * 1024;
    public static final String MISSING = "missing";

    private ModelFingerprint() {}

    /** The fingerprint of {@code dir} (a folder or a single file), or {@link #MISSING} when absent. */
    public static String of(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return MISSING;
        }
        MessageDigest sha = sha256();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, 4)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !dir.relativize(p).toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list the folder to fingerprint it: " + e.getMessage(), e);
        }
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                long size = ch.size();
                String rel = Files.isDirectory(dir) ? dir.relativize(f).toString().replace('\\', '/') : f.getFileName().toString();
                sha.update((rel + "\0" + size + "\0").getBytes(StandardCharsets.UTF_8));
                update(sha, ch, 0, (int) Math.min(EDGE, size));
                if (size > EDGE) {
                    long start = Math.max(EDGE, size - EDGE);
                    update(sha, ch, start, (int) (size - start));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(f + ": cannot read to fingerprint it: " + e.getMessage(), e);
            }
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private static void update(MessageDigest sha, FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) break;
        }
        buf.flip();
        sha.update(buf);
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
