package org.llasalab.microworld;

import org.llasalab.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a sentence pool as {@code sentences.tsv}: text, split and source per line. */
public final class SentencePoolFiles {
    private SentencePoolFiles() {}

    public static void write(SentencePool pool, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("text\tsplit\tsource\n");
        for (SentencePool.Sentence s : pool.sentences()) {
            sb.append(s.text()).append('\t').append(s.split()).append('\t').append(s.source()).append('\n');
        }
        AtomicFiles.write(file, sb.toString());
    }
}
