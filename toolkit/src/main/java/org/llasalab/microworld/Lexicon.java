package org.llasalab.microworld;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.llasalab.io.AtomicFiles;

/**
 * Pronunciation lexicon: word to a sequence of phoneme symbols (espeak-ng mnemonics with the stress
 * marks {@code '} and {@code ,} as symbols of their own). Stored as {@code lexicon.tsv}: one
 * {@code word<TAB>symbol symbol ...} line per word, sorted by word.
 */
public final class Lexicon {
    private final Map<String, List<String>> entries;

    public Lexicon(Map<String, List<String>> entries) {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** Phonemises {@code words} with espeak-ng (one process for all of them). */
    public static Lexicon build(Collection<String> words) throws IOException {
        List<String> sorted = new ArrayList<>(new TreeSet<>(words));
        List<String> raw = Espeak.phonemes(sorted);
        Map<String, List<String>> map = new TreeMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            List<String> symbols = symbols(raw.get(i));
            if (symbols.isEmpty()) throw new IOException("espeak-ng gave no phonemes for '" + sorted.get(i) + "'");
            map.put(sorted.get(i), symbols);
        }
        return new Lexicon(map);
    }

    /** Splits espeak-ng's {@code -x --sep=_} output into symbols, stress marks separate. */
    static List<String> symbols(String mnemonics) {
        List<String> out = new ArrayList<>();
        for (String part : mnemonics.trim().split("[_\\s]+")) {
            String p = part;
            while (!p.isEmpty() && (p.charAt(0) == '\'' || p.charAt(0) == ',')) {
                out.add(p.substring(0, 1));
                p = p.substring(1);
            }
            if (!p.isEmpty()) out.add(p);
        }
        return out;
    }

    public static Lexicon read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such lexicon file");
        Map<String, List<String>> map = new TreeMap<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] cols = line.split("\t");
            if (cols.length != 2 || cols[0].isBlank() || cols[1].isBlank()) {
                throw new IOException(file + ":" + lineNo + ": expected 'word<TAB>phonemes', got '" + line + "'");
            }
            if (map.put(cols[0], List.of(cols[1].trim().split(" +"))) != null) {
                throw new IOException(file + ":" + lineNo + ": duplicate word '" + cols[0] + "'");
            }
        }
        return new Lexicon(map);
    }

    /** Writes the lexicon atomically. */
    public void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        entries.forEach((w, p) -> sb.append(w).append('\t').append(String.join(" ", p)).append('\n'));
        AtomicFiles.write(file, sb.toString());
    }

    public List<String> lookup(String word) {
        return entries.get(word);
    }

    public boolean contains(String word) {
        return entries.containsKey(word);
    }

    public Map<String, List<String>> entries() {
        return entries;
    }

    /** The phoneme symbols used by the entries, sorted. */
    public List<String> phonemeSymbols() {
        TreeSet<String> set = new TreeSet<>();
        entries.values().forEach(set::addAll);
        return List.copyOf(set);
    }

    @Override
    public String toString() {
        return "Lexicon(" + entries.size() + " words, symbols " + Arrays.toString(phonemeSymbols().toArray()) + ")";
    }
}
