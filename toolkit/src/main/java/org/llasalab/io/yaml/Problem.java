package org.llasalab.io.yaml;

import java.nio.file.Path;
import org.llasalab.io.Printable;

/** One problem found in a YAML file, with where it is ({@code location} may be null: the whole file). */
public record Problem(Path file, YamlNode.Location location, String message) {
    /** File order: problems without a location first, then by line and column. */
    public static final java.util.Comparator<Problem> FILE_ORDER = java.util.Comparator.comparing(Problem::location,
            java.util.Comparator.nullsFirst(java.util.Comparator.comparingInt(YamlNode.Location::line)
                    .thenComparingInt(YamlNode.Location::column)));

    @Override
    public String toString() {
        // a message may quote the file's text: its control characters are shown, never sent to the terminal
        return file + (location == null ? "" : ":" + location.line() + ":" + location.column()) + ": "
                + Printable.of(message);
    }
}
