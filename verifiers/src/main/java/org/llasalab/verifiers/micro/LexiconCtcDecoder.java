package org.llasalab.verifiers.micro;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CTC prefix beam search constrained to the words of a lexicon: a trie over the words' phoneme ids
 * (stress marks dropped) restricts which symbol may follow, so every hypothesis is a sequence of known
 * words. A word ends at a trie node that completes a word, either with the boundary symbol {@code |} or
 * directly by the first phoneme of the next word. Each completed word adds
 * {@code lmWeight * log P(word | previous word) + wordBonus} ({@link WordLm}); homophones decode to the
 * word the language model prefers in context.
 */
public final class LexiconCtcDecoder {
    private static final double NEG = Double.NEGATIVE_INFINITY;

    private static final class Node {
        final int id;
        final int symbol;
        final Map<Integer, Node> children = new HashMap<>();
        final List<String> words = new ArrayList<>();

        Node(int id, int symbol) {
            this.id = id;
            this.symbol = symbol;
        }
    }

    private final PhonemeSymbols symbols;
    private final Node root;
    private final int beam;
    private final double lmWeight;
    private final double wordBonus;
    private final WordLm lm;
    private final float pruneLogProb;

    /**
     * @param pronunciations word to phoneme symbols (stress marks allowed, they are dropped)
     * @param lm the word language model (homophone choice and, with {@code lmWeight > 0}, the score)
     */
    public LexiconCtcDecoder(PhonemeSymbols symbols, Map<String, List<String>> pronunciations, WordLm lm,
            int beam, double lmWeight, double wordBonus) {
        if (beam <= 0) throw new IllegalArgumentException("beam must be positive, got " + beam);
        this.symbols = symbols;
        this.beam = beam;
        this.lmWeight = lmWeight;
        this.wordBonus = wordBonus;
        this.lm = lm;
        this.pruneLogProb = -12f;
        int[] ids = {0};
        this.root = new Node(ids[0]++, -1);
        for (var e : new java.util.TreeMap<>(pronunciations).entrySet()) {
            Node n = root;
            boolean any = false;
            for (String s : e.getValue()) {
                if (PhonemeSymbols.STRESS_MARKS.contains(s)) continue;
                int id = symbols.id(s);
                if (id <= 0 || id == symbols.boundary()) {
                    throw new IllegalArgumentException("word '" + e.getKey() + "': phoneme '" + s + "' is not a recogniser symbol");
                }
                n = n.children.computeIfAbsent(id, k -> new Node(ids[0]++, k));
                any = true;
            }
            if (any) n.words.add(e.getKey());
        }
    }

    /** The word of a completed node after {@code words} and its score {@code lmWeight * log P + bonus}. */
    private Map.Entry<String, Double> complete(String words, Node node) {
        int space = words.lastIndexOf(' ');
        String prev = words.isEmpty() ? WordLm.START : words.substring(space + 1);
        String best = null;
        double bestLp = Double.NEGATIVE_INFINITY;
        for (String w : node.words) {
            double lp = lm.logProb(prev, w);
            if (best == null || lp > bestLp) {
                best = w;
                bestLp = lp;
            }
        }
        return Map.entry(best, lmWeight * bestLp + wordBonus);
    }

    private record State(String words, Node node) {}

    private static final class Entry {
        final State state;
        double blank = NEG, nonBlank = NEG, lm;

        Entry(State state, double lm) {
            this.state = state;
            this.lm = lm;
        }

        double acoustic() { return logAdd(blank, nonBlank); }

        double total() { return acoustic() + lm; }
    }

    /** The best word sequence (space-separated) for per-frame log-probabilities [T][V]. */
    public String decode(float[][] logProbs) {
        int v = symbols.size();
        if (logProbs.length > 0 && logProbs[0].length != v) {
            throw new IllegalArgumentException("posteriors have " + logProbs[0].length + " symbols, decoder expects " + v);
        }
        int boundary = symbols.boundary();
        Map<State, Entry> beamSet = new HashMap<>();
        Entry start = new Entry(new State("", root), 0);
        start.blank = 0;
        beamSet.put(start.state, start);
        for (float[] lp : logProbs) {
            Map<State, Entry> next = new HashMap<>();
            for (Entry e : beamSet.values()) {
                Node node = e.state.node();
                double all = e.acoustic();
                // Stay: a blank, or the last symbol repeated (collapsed by CTC).
                entry(next, e.state, e.lm).blank = logAdd(entry(next, e.state, e.lm).blank, all + lp[0]);
                if (node != root) {
                    Entry same = entry(next, e.state, e.lm);
                    same.nonBlank = logAdd(same.nonBlank, e.nonBlank + lp[node.symbol]);
                } else if (!e.state.words().isEmpty()) { // at the root after '|': a repeated '|'
                    Entry same = entry(next, e.state, e.lm);
                    same.nonBlank = logAdd(same.nonBlank, e.nonBlank + lp[boundary]);
                }
                int last = node != root ? node.symbol : (e.state.words().isEmpty() ? -1 : boundary);
                Map.Entry<String, Double> completed = node != root && !node.words.isEmpty() ? complete(e.state.words(), node) : null;
                for (int k = 1; k < v; k++) {
                    if (lp[k] < pruneLogProb) continue;
                    double from = k == last ? e.blank : all; // a repeat needs a blank in between
                    if (from == NEG) continue;
                    if (k == boundary) {
                        if (completed == null) continue;
                        var w = completed;
                        State s = new State(append(e.state.words(), w.getKey()), root);
                        Entry n = entry(next, s, e.lm + w.getValue());
                        n.nonBlank = logAdd(n.nonBlank, from + lp[k]);
                        continue;
                    }
                    Node child = node.children.get(k);
                    if (child != null) {
                        Entry n = entry(next, new State(e.state.words(), child), e.lm);
                        n.nonBlank = logAdd(n.nonBlank, from + lp[k]);
                    }
                    if (completed != null) { // the next word starts without a '|'
                        Node first = root.children.get(k);
                        if (first != null) {
                            var w = completed;
                            State s = new State(append(e.state.words(), w.getKey()), first);
                            Entry n = entry(next, s, e.lm + w.getValue());
                            n.nonBlank = logAdd(n.nonBlank, from + lp[k]);
                        }
                    }
                }
            }
            List<Entry> sorted = new ArrayList<>(next.values());
            sorted.sort((a, b) -> Double.compare(b.total(), a.total()));
            beamSet = new HashMap<>();
            for (int i = 0; i < Math.min(beam, sorted.size()); i++) beamSet.put(sorted.get(i).state, sorted.get(i));
        }
        // The best hypothesis that ends on a word. When the audio stops inside a word on every surviving
        // hypothesis (a last word cut short or mispronounced), the best of them keeps its finished words
        // and loses the unfinished one (one deletion), instead of losing every word.
        String best = null, bestCut = "";
        double bestScore = NEG, bestCutScore = NEG;
        for (Entry e : beamSet.values()) {
            Node node = e.state.node();
            double score = e.total();
            if (node == root) {
                if (best == null || score > bestScore) {
                    bestScore = score;
                    best = e.state.words();
                }
            } else if (!node.words.isEmpty()) {
                var w = complete(e.state.words(), node);
                if (best == null || score + w.getValue() > bestScore) {
                    bestScore = score + w.getValue();
                    best = append(e.state.words(), w.getKey());
                }
            } else if (score > bestCutScore) {
                bestCutScore = score;
                bestCut = e.state.words();
            }
        }
        return best != null ? best : bestCut;
    }

    private static Entry entry(Map<State, Entry> map, State s, double lm) {
        return map.computeIfAbsent(s, k -> new Entry(k, lm));
    }

    private static String append(String words, String word) {
        return words.isEmpty() ? word : words + " " + word;
    }

    static double logAdd(double a, double b) {
        if (a == NEG) return b;
        if (b == NEG) return a;
        double m = Math.max(a, b);
        return m + Math.log1p(Math.exp(-Math.abs(a - b)));
    }
}
