package org.llasalab.eval.experiment;

import java.nio.file.Path;

/** One problem found in an experiment file, with where it is ({@code location} may be null). */
public record Problem(Path file, YamlNode.Location location, String message) {
    @Override
    public String toString() {
        return file + (location == null ? "" : ":" + location.line() + ":" + location.column()) + ": " + message;
    }
}
