package org.llasalab.verifiers.micro;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The micro-asr output symbols: CTC blank, then espeak-ng phonemes and the word boundary {@code |}.
 * Stress marks ({@code '} primary, {@code ,} secondary) are not recognised: they are dropped from
 * targets and from lexicon pronunciations alike.
 */
public final class PhonemeSymbols {
    public static final String WORD_BOUNDARY = "|";
    public static final Set<String> STRESS_MARKS = Set.of("'", ",");

    private final List<String> symbols;
    private final Map<String, Integer> index = new HashMap<>();

    public PhonemeSymbols(List<String> symbols) {
        if (symbols.isEmpty() || !symbols.get(0).equals(CtcAsrModel.BLANK)) throw new IllegalArgumentException("symbol 0 must be " + CtcAsrModel.BLANK);
        this.symbols = List.copyOf(symbols);
        for (int i = 0; i < symbols.size(); i++) {
            if (index.put(symbols.get(i), i) != null) throw new IllegalArgumentException("duplicate symbol '" + symbols.get(i) + "'");
        }
    }

    /** Blank, then the inventory's symbols in order without stress marks (the boundary included). */
    public static PhonemeSymbols fromInventory(List<String> inventory) {
        List<String> out = new ArrayList<>();
        out.add(CtcAsrModel.BLANK);
        for (String s : inventory) if (!s.isBlank() && !STRESS_MARKS.contains(s.trim()) && !out.contains(s.trim())) out.add(s.trim());
        if (!out.contains(WORD_BOUNDARY)) out.add(WORD_BOUNDARY);
        return new PhonemeSymbols(out);
    }

    public List<String> symbols() { return symbols; }

    public int size() { return symbols.size(); }

    public int boundary() { return index.get(WORD_BOUNDARY); }

    public String symbol(int id) { return symbols.get(id); }

    /** Id of a symbol, or -1. */
    public int id(String symbol) {
        Integer i = index.get(symbol);
        return i == null ? -1 : i;
    }

    /**
     * Ids of a space-separated phoneme string (words separated by {@code |}), stress marks dropped;
     * throws naming the symbol when one is unknown.
     */
    public int[] encode(String phonemes) {
        List<Integer> ids = new ArrayList<>();
        for (String s : phonemes.trim().split("\\s+")) {
            if (s.isEmpty() || STRESS_MARKS.contains(s)) continue;
            int id = id(s);
            if (id < 0) throw new IllegalArgumentException("unknown phoneme symbol '" + s + "' in '" + phonemes + "'");
            ids.add(id);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
