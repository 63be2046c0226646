package org.llasalab.microworld;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The espeak-ng command line: phonemisation of words in one long-lived process. */
public final class Espeak {
    public static final String COMMAND = "espeak-ng";
    /** The accent whose phonemes define the micro world's lexicon. */
    public static final String LEXICON_VOICE = "en-us";

    private Espeak() {}

    /**
     * espeak-ng phoneme mnemonics ({@code -x}) of each word, phonemes separated by {@code _}, through
     * one espeak-ng process that reads one word per line from stdin and prints one line per word.
     */
    public static List<String> phonemes(List<String> words) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(COMMAND, "-q", "-x", "--sep=_", "-v", LEXICON_VOICE)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + COMMAND + " (apt-get install espeak-ng): " + e.getMessage(), e);
        }
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8))) {
                for (String word : words) {
                    w.write(word);
                    w.write('\n');
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<String> out = new ArrayList<>(words.size());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) out.add(line.trim());
            }
        }
        writer.join();
        try {
            int rc = p.waitFor();
            if (rc != 0) throw new IOException(COMMAND + " exited with status " + rc);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (out.size() != words.size()) {
            throw new IOException(COMMAND + " printed " + out.size() + " phoneme lines for " + words.size() + " words");
        }
        return out;
    }
}
