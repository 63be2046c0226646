package org.llasalab.lm;

/** A loaded causal language model that decodes batches of sequences. */
public interface LanguageModel extends AutoCloseable {
    int vocabSize();

    /** Parameters excluding nothing (embeddings and head counted once when tied). */
    long parameterCount();

    /** Estimated FLOPs of one forward token at context length {@code context}: 2 x params + attention. */
    double flopsPerToken(int context);

    /** A new batch that holds at most {@code maxSequences} live sequences of at most {@code maxTokens} each. */
    SequenceBatch newBatch(int maxSequences, int maxTokens);

    @Override
    default void close() {}
}
