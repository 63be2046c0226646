package org.llasalab.verifiers.micro;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CTC prefix beam search constrained to the words of a lexicon: a trie over the words' phoneme ids
 * (stress marks dropped) restricts which symbol may follow, so every hypothesis is a sequence of known
 * words. A word ends at a trie node that completes a word, either with the boundary symbol {@code |} or
 * directly by the first phoneme of the next word. Homophones decode to their most frequent word; with a
 * unigram table, each completed word adds {@code lmWeight * log P(word)} (a word-count prior).
 */
public final class LexiconCtcDecoder {
    private static final double NEG = Double.NEGATIVE_INFINITY;

    private static final class Node {
        final int id;
        final int symbol;
        final Map<Integer, Node> children = new HashMap<>();
        String word;
        double wordLogPrior = 0;

        Node(int id, int symbol) {
            this.id = id;
            this.symbol = symbol;
        }
    }

    private final PhonemeSymbols symbols;
    private final Node root;
    private final int beam;
    private final double lmWeight;
    private final float pruneLogProb;

    /**
     * @param pronunciations word to phoneme symbols (stress marks allowed, they are dropped)
     * @param counts word counts for homophone choice and the prior (may be empty: alphabetical choice, no prior)
     */
    public LexiconCtcDecoder(PhonemeSymbols symbols, Map<String, List<String>> pronunciations, Map<String, Long> counts,
            int beam, double lmWeight) {
        if (beam <= 0) throw new IllegalArgumentException("beam must be positive, got " + beam);
        this.symbols = symbols;
        this.beam = beam;
        this.lmWeight = lmWeight;
        this.pruneLogProb = -12f;
        int[] ids = {0};
        this.root = new Node(ids[0]++, -1);
        double total = 0;
        for (long c : counts.values()) total += c + 1;
        total += pronunciations.size();
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
            if (!any) continue;
            long count = counts.getOrDefault(e.getKey(), 0L);
            double prior = Math.log((count + 1) / total);
            if (n.word == null || prior > n.wordLogPrior) {
                n.word = e.getKey();
                n.wordLogPrior = prior;
            }
        }
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
                for (int k = 1; k < v; k++) {
                    if (lp[k] < pruneLogProb) continue;
                    double from = k == last ? e.blank : all; // a repeat needs a blank in between
                    if (from == NEG) continue;
                    if (k == boundary) {
                        if (node.word == null) continue;
                        State s = new State(append(e.state.words(), node.word), root);
                        Entry n = entry(next, s, e.lm + lmWeight * node.wordLogPrior);
                        n.nonBlank = logAdd(n.nonBlank, from + lp[k]);
                        continue;
                    }
                    Node child = node.children.get(k);
                    if (child != null) {
                        Entry n = entry(next, new State(e.state.words(), child), e.lm);
                        n.nonBlank = logAdd(n.nonBlank, from + lp[k]);
                    }
                    if (node != root && node.word != null) { // the next word starts without a '|'
                        Node first = root.children.get(k);
                        if (first != null) {
                            State s = new State(append(e.state.words(), node.word), first);
                            Entry n = entry(next, s, e.lm + lmWeight * node.wordLogPrior);
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
        String best = "";
        double bestScore = NEG;
        for (Entry e : beamSet.values()) {
            Node node = e.state.node();
            String words;
            double score = e.total();
            if (node == root) {
                words = e.state.words();
            } else if (node.word != null) {
                words = append(e.state.words(), node.word);
                score += lmWeight * node.wordLogPrior;
            } else {
                continue; // ends inside a word
            }
            if (score > bestScore) {
                bestScore = score;
                best = words;
            }
        }
        return best;
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
