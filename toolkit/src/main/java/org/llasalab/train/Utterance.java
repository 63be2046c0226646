package org.llasalab.train;

/**
 * One encoded utterance of a corpus: its front-end symbols (joined by single spaces) and codec codes.
 *
 * @param id corpus id
 * @param voice speaker and style key; utterances of the same key may prompt each other
 * @param split corpus split ({@code train}, {@code dev}, {@code test}, or empty when the corpus has none)
 * @param symbols text front-end output, symbols separated by single spaces
 * @param codes codec codes, one per frame
 */
public record Utterance(String id, String voice, String split, String symbols, int[] codes) {
    public Utterance {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("utterance without an id");
        if (voice == null || voice.isBlank()) throw new IllegalArgumentException("utterance " + id + " has no voice");
        if (split == null) split = "";
        if (symbols == null || symbols.isBlank()) throw new IllegalArgumentException("utterance " + id + " has no text");
        if (codes == null || codes.length == 0) throw new IllegalArgumentException("utterance " + id + " has no codes");
    }
}
