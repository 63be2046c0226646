package org.llasalab.verifiers.micro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.llasalab.microworld.Catalogue;
import org.llasalab.verify.VerifierParams;

/** Where a micro verifier's model folder is: parameter {@code model} (a folder or a catalogue name), else the type's catalogue entry. */
final class MicroModelDirs {
    private MicroModelDirs() {}

    static Path resolve(String owner, VerifierParams p) {
        String name = p.string("model", owner);
        Path relative = p.baseDir().resolve(name).normalize();
        if (Files.isDirectory(relative)) return relative;
        try {
            return Catalogue.resolve(name);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(owner + ": parameter 'model': " + e.getMessage(), e);
        }
    }
}
