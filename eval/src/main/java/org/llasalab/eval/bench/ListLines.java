package org.llasalab.eval.bench;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a UTF-8 list file into lines (byte-order mark and carriage returns removed). */
final class ListLines {
    private ListLines() {}

    static List<String> read(Path list) {
        if (!Files.isRegularFile(list)) {
            throw new IllegalArgumentException(list + ": benchmark list not found");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new BenchmarkException(list, List.of("not valid UTF-8 text"));
        } catch (IOException e) {
            throw new BenchmarkException(list, List.of("cannot read the file (" + e.getMessage() + ")"));
        }
        if (!lines.isEmpty() && lines.getFirst().startsWith("\uFEFF")) {
            lines.set(0, lines.getFirst().substring(1));
        }
        lines.replaceAll(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        return lines;
    }
}
