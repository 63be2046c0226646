package org.llasalab.train;

/**
 * The shape of a Llama-architecture causal LM as trained here: the fields of a Hugging Face
 * {@code LlamaForCausalLM} {@code config.json} that the mathematics depends on.
 *
 * @param vocabSize number of token ids
 * @param hidden model width d
 * @param layers decoder blocks
 * @param heads query heads
 * @param kvHeads key/value heads (grouped-query attention when smaller than {@code heads})
 * @param intermediate SwiGLU width
 * @param ropeTheta rotary base
 * @param rmsEps RMSNorm epsilon
 * @param tiedEmbeddings whether the output head is the embedding matrix
 * @param maxPositions longest sequence the model is trained and used for
 */
public record ModelShape(int vocabSize, int hidden, int layers, int heads, int kvHeads, int intermediate,
                         double ropeTheta, double rmsEps, boolean tiedEmbeddings, int maxPositions) {
    public ModelShape {
        require(vocabSize > 0, "vocab_size must be > 0");
        require(hidden > 0 && layers > 0 && heads > 0 && kvHeads > 0 && intermediate > 0,
                "hidden, layers, heads, kv_heads and intermediate must be > 0");
        require(hidden % heads == 0, "hidden " + hidden + " is not a multiple of heads " + heads);
        require(heads % kvHeads == 0, "heads " + heads + " is not a multiple of kv_heads " + kvHeads);
        require((hidden / heads) % 2 == 0, "head dim " + hidden / heads + " must be even for rotary embeddings");
        require(ropeTheta > 0, "rope_theta must be > 0");
        require(rmsEps > 0, "rms_eps must be > 0");
        require(maxPositions > 1, "max_positions must be > 1");
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    public int headDim() {
        return hidden / heads;
    }

    public int groupSize() {
        return heads / kvHeads;
    }

    /** Same shape with another vocabulary size (the vocabulary comes from the data's tokenizer). */
    public ModelShape withVocab(int vocab) {
        return new ModelShape(vocab, hidden, layers, heads, kvHeads, intermediate, ropeTheta, rmsEps,
                tiedEmbeddings, maxPositions);
    }

    /** Parameters of one decoder block: q,k,v,o projections, the three MLP matrices and two norm gains. */
    public long blockParameters() {
        long kvDim = (long) kvHeads * headDim();
        long attention = (long) hidden * hidden * 2 + 2L * hidden * kvDim;
        long mlp = 3L * hidden * intermediate;
        return attention + mlp + 2L * hidden;
    }

    /** All parameters, the embedding and head counted once when tied. */
    public long parameterCount() {
        long embed = (long) vocabSize * hidden;
        return embed + (tiedEmbeddings ? 0 : embed) + layers * blockParameters() + hidden;
    }

    /** Parameters without the embedding table (the usual "non-embedding" count of scaling studies). */
    public long nonEmbeddingParameters() {
        return layers * blockParameters() + hidden + (tiedEmbeddings ? 0 : 0);
    }

    /**
     * Forward FLOPs of one token at context {@code context}: 2 per weight of every matrix product
     * (blocks and the output head; the embedding lookup is a table read at inference) plus the attention
     * scores and weighted sum (2 x 2 x layers x context x hidden).
     */
    public double forwardFlopsPerToken(int context) {
        double matrices = 2.0 * (layers * (blockParameters() - 2L * hidden) + (double) vocabSize * hidden);
        double attention = 4.0 * layers * context * (double) hidden;
        return matrices + attention;
    }

    /** Training FLOPs of one token (forward + backward = 3 x forward) at mean causal context {@code context}. */
    public double trainingFlopsPerToken(int context) {
        return 3.0 * forwardFlopsPerToken(context);
    }
}
