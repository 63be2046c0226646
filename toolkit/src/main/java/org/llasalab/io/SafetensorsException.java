package org.llasalab.io;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file (or sharded checkpoint) that is malformed; the message names the file and tensor. */
public class SafetensorsException extends IOException {
    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }

    static SafetensorsException of(Path file, String tensor, String problem) {
        // a tensor name or a JSON error quotes the file's bytes: control characters are shown escaped
        return new SafetensorsException(file + (tensor == null ? "" : ": tensor '" + Printable.of(tensor) + "'") + ": "
                + Printable.of(problem));
    }
}
