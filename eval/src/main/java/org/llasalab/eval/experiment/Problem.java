package org.llasalab.eval.experiment;

import java.nio.file.Path;

/** One problem found in an experiment file, with where it is ({@code location} may be null). */
public record Problem(Path file, YamlNode.Location location, String message) {
    @Override
    public String toString() {
        // a message may quote the file's text: its control characters are shown, never sent to the terminal
        return file + (location == null ? "" : ":" + location.line() + ":" + location.column()) + ": "
                + org.llasalab.io.Printable.of(message);
    }
}
