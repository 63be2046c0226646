package org.llasalab.lm;

/**
 * Where speech tokens live in the LM vocabulary: codec code c is LM id {@code offset + c}, for
 * c in 0..codebookSize-1; {@code endId} ends generation. Looked up from the tokenizer, never assumed.
 */
public record SpeechTokens(int offset, int codebookSize, int endId) {
    public boolean isSpeech(int id) {
        return id >= offset && id < offset + codebookSize;
    }
}
