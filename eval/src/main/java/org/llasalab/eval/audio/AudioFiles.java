package org.llasalab.eval.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Cheap up-front checks of audio paths, so that every problem is reported before any work starts. */
public final class AudioFiles {
    private AudioFiles() {}

    /**
     * Why {@code file} cannot be read as a WAV file, or null when it looks fine (exists, is a
     * readable regular file and starts with a RIFF/WAVE header). Only the first 12 bytes are read.
     */
    public static String problem(Path file) {
        if (!Files.exists(file)) {
            return "missing: " + file;
        }
        if (!Files.isRegularFile(file)) {
            return "not a regular file: " + file;
        }
        if (!Files.isReadable(file)) {
            return "not readable: " + file;
        }
        byte[] head = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return "unreadable: " + file + " (" + e.getMessage() + ")";
        }
        String riff = new String(head, 0, Math.min(n, 4), StandardCharsets.ISO_8859_1);
        if (riff.equals("fLaC")) {
            return "FLAC is not supported, convert it to WAV (e.g. sox in.flac out.wav): " + file;
        }
        if (n < 12 || !riff.equals("RIFF") || !new String(head, 8, 4, StandardCharsets.ISO_8859_1).equals("WAVE")) {
            return "not a RIFF/WAVE file: " + file;
        }
        return null;
    }

    /** A benchmark id becomes a file name {@code <id>.wav}: it must be a plain, non-empty name. */
    public static String idProblem(String id) {
        if (id.isEmpty()) {
            return "empty utterance id";
        }
        if (id.equals(".") || id.equals("..") || id.contains("/") || id.contains("\\") || id.indexOf('\0') >= 0) {
            return "utterance id '" + id + "' cannot be used as a file name";
        }
        return null;
    }
}
