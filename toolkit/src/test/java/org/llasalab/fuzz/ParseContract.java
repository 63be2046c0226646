package org.llasalab.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The contract every parser of a user file keeps, checked by the fuzz tests: a file it cannot use
 * gives its documented exception, whose message names the file and says what is wrong; anything else
 * (another exception, an error, a hang) is a bug the fuzzer reports.
 */
public final class ParseContract {
    private static Path dir;

    private ParseContract() {}

    /** A scratch folder for the fuzz inputs, made once per JVM and removed at exit. */
    public static synchronized Path scratch() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("llasa-fuzz");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path d = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d)));
        }
        return dir;
    }

    /** Writes {@code bytes} to {@code name} in the scratch folder. */
    public static Path write(String name, byte[] bytes) throws IOException {
        Path f = scratch().resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        return f;
    }

    /** A parse that may throw. */
    @FunctionalInterface
    public interface Parse {
        void run() throws Exception;
    }

    /**
     * Runs {@code parse} of {@code file}: fine when it succeeds or throws an {@code allowed} exception
     * whose message names {@code file}; any other outcome propagates (a finding).
     */
    @SafeVarargs
    public static void check(Path file, Parse parse, Class<? extends Exception>... allowed) throws Exception {
        try {
            parse.run();
        } catch (Exception e) {
            boolean documented = false;
            for (Class<? extends Exception> c : allowed) documented |= c.isInstance(e);
            if (!documented) throw e;
            String message = e.getMessage();
            if (message == null || !message.contains(file.getFileName().toString())) {
                throw new AssertionError("the error does not name the file " + file.getFileName() + ": " + message, e);
            }
            if (message.chars().anyMatch(ch -> ch < 0x20 && ch != '\n')) {
                throw new AssertionError("the error carries raw control characters of the input: " + message, e);
            }
            if (message.contains("\n\tat ")) {
                throw new AssertionError("the error reads like a stack trace: " + message, e);
            }
        }
    }

    private static void deleteTree(Path d) {
        try (var walk = Files.walk(d)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
