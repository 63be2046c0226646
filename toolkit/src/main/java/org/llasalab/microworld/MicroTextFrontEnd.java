package org.llasalab.microworld;

import org.llasalab.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Text to phoneme symbols for the micro world: normalise ({@link SpokenForm}), look each word up in
 * the {@link Lexicon}, and join the words' phonemes with the word boundary {@value #WORD_BOUNDARY}.
 * The symbol inventory ({@code phonemes.txt}: one symbol per line, the line number minus one is its
 * id, the word boundary first) is shipped beside the lexicon.
 */
public final class MicroTextFrontEnd {
    public static final String WORD_BOUNDARY = "|";
    public static final String LEXICON_FILE = "lexicon.tsv";
    public static final String SYMBOLS_FILE = "phonemes.txt";

    private final Lexicon lexicon;
    private final List<String> symbols;
    private final Map<String, Integer> ids = new HashMap<>();

    public MicroTextFrontEnd(Lexicon lexicon, List<String> symbols) {
        this.lexicon = lexicon;
        this.symbols = List.copyOf(symbols);
        for (int i = 0; i < symbols.size(); i++) ids.put(symbols.get(i), i);
        for (String s : lexicon.phonemeSymbols()) {
            if (!ids.containsKey(s)) throw new IllegalArgumentException("lexicon symbol '" + s + "' is not in the inventory");
        }
    }

    /** The inventory for a lexicon: the word boundary, then the lexicon's symbols sorted. */
    public static List<String> inventory(Lexicon lexicon) {
        List<String> out = new ArrayList<>();
        out.add(WORD_BOUNDARY);
        out.addAll(lexicon.phonemeSymbols());
        return out;
    }

    /** Loads {@code lexicon.tsv} and {@code phonemes.txt} from {@code dir}. */
    public static MicroTextFrontEnd load(Path dir) throws IOException {
        Lexicon lexicon = Lexicon.read(dir.resolve(LEXICON_FILE));
        Path symbolsFile = dir.resolve(SYMBOLS_FILE);
        if (!Files.isRegularFile(symbolsFile)) throw new IOException(symbolsFile + ": no such symbol inventory");
        List<String> symbols = Files.readAllLines(symbolsFile, StandardCharsets.UTF_8).stream()
                .filter(s -> !s.isEmpty()).toList();
        try {
            return new MicroTextFrontEnd(lexicon, symbols);
        } catch (IllegalArgumentException e) {
            throw new IOException(symbolsFile + ": " + e.getMessage(), e);
        }
    }

    /** The micro world's shipped front end ({@code toolkit/microworld/}). */
    public static MicroTextFrontEnd shipped() throws IOException {
        return load(Catalogue.microworldDir());
    }

    /** Writes {@code lexicon.tsv} and {@code phonemes.txt} into {@code dir}. */
    public void write(Path dir) throws IOException {
        lexicon.write(dir.resolve(LEXICON_FILE));
        AtomicFiles.write(dir.resolve(SYMBOLS_FILE), String.join("\n", symbols) + "\n");
    }

    public List<String> symbols() {
        return symbols;
    }

    public Lexicon lexicon() {
        return lexicon;
    }

    /** Phoneme symbols of {@code text}; a word outside the lexicon is an error naming the word. */
    public List<String> phonemes(String text) {
        List<String> out = new ArrayList<>();
        for (String word : SpokenForm.normalise(text).split(" ")) {
            if (word.isEmpty()) continue;
            List<String> p = lexicon.lookup(word);
            if (p == null) {
                throw new IllegalArgumentException("word '" + word + "' is not in the micro world's lexicon ("
                        + lexicon.entries().size() + " words)");
            }
            if (!out.isEmpty()) out.add(WORD_BOUNDARY);
            out.addAll(p);
        }
        return out;
    }

    /** Symbol ids of {@code text} (indices into {@link #symbols()}). */
    public int[] ids(String text) {
        return phonemes(text).stream().mapToInt(ids::get).toArray();
    }
}
