package org.llasalab.lm;

/**
 * Sequences decoded together by one language model, each with its own KV cache. A sequence is a
 * handle (an int). {@link #step} appends one token to each of several sequences with ONE pass over
 * the weights. Not thread-safe: one search drives one batch.
 */
public interface SequenceBatch extends AutoCloseable {
    /** Starts a sequence by prefilling {@code promptIds}; its next-token logits are then available. */
    int prefill(int[] promptIds);

    /** A new sequence that continues exactly like {@code seq}, sharing or copying its cache (no recomputation). */
    int fork(int seq);

    /** Releases a sequence and its cache. */
    void free(int seq);

    /** Number of tokens in the sequence so far (prompt included). */
    int length(int seq);

    /** The sequence's tokens so far (prompt included). */
    int[] tokens(int seq);

    /** Appends {@code tokens[i]} to {@code seqs[i]} for every i in one batched forward pass. */
    void step(int[] seqs, int[] tokens);

    /** Next-token logits of {@code seq} (length vocab). Valid until the next call that changes the batch. */
    float[] logits(int seq);

    /**
     * Hint that the caller will only sample ids in {@code [fromId, toId)} for {@code seq} from now on
     * (e.g. speech tokens and the end marker): an implementation may then compute only that part of
     * the output head and report {@code -Infinity} outside it. The default ignores the hint.
     */
    default void setLogitWindow(int seq, int fromId, int toId) {}

    /** Counters of work done so far (prefill and decode tokens), for compute ledgers. */
    long prefillTokens();

    long decodeTokens();

    @Override
    void close();
}
