package org.llasalab.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.llasalab.lm.LanguageModel;
import org.llasalab.lm.SequenceBatch;
import org.llasalab.lm.SpeechTokens;

/**
 * Test double: a seeded bigram "language model" over a tiny vocabulary. Ids 0..3 are text, 4 the end
 * marker, 5..5+K-1 speech tokens. The next-token logits depend only on the last token and the length,
 * with an end bias that grows with the number of generated tokens, so sequences end after a while.
 * Its batches check the SequenceBatch contract (capacity, freed handles) and count the work done.
 */
final class BigramLm implements LanguageModel {
    static final int TEXT = 4, END = 4, OFFSET = 5, K = 16, VOCAB = OFFSET + K;
    static final SpeechTokens SPEECH = new SpeechTokens(OFFSET, K, END);

    final float[][] table = new float[VOCAB][VOCAB];
    /** End logit = endBias0 + endSlope x generated tokens; use NEGATIVE_INFINITY to never end. */
    final double endBias0, endSlope;
    final List<Batch> batches = new ArrayList<>();

    BigramLm(long seed, double endBias0, double endSlope) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (float[] row : table) for (int j = 0; j < VOCAB; j++) row[j] = (float) (2 * rng.nextDouble() - 1) * 2f;
        this.endBias0 = endBias0;
        this.endSlope = endSlope;
    }

    /** Ends after roughly 10..30 tokens. */
    static BigramLm typical() {
        return new BigramLm(7, -6, 0.3);
    }

    @Override public int vocabSize() { return VOCAB; }
    @Override public long parameterCount() { return VOCAB * VOCAB; }
    @Override public double flopsPerToken(int context) { return 2.0 * parameterCount() + 10.0 * context; }

    @Override
    public SequenceBatch newBatch(int maxSequences, int maxTokens) {
        Batch b = new Batch(maxSequences, maxTokens);
        batches.add(b);
        return b;
    }

    Batch lastBatch() {
        return batches.get(batches.size() - 1);
    }

    float[] logitsFor(int[] tokens, int promptLength) {
        float[] l = table[tokens[tokens.length - 1]].clone();
        for (int i = 0; i < TEXT; i++) l[i] += 5; // text ids are likely: the sampler must mask them out
        l[END] = (float) (endBias0 + endSlope * (tokens.length - promptLength));
        return l;
    }

    final class Batch implements SequenceBatch {
        final int maxSequences, maxTokens;
        final Map<Integer, int[]> seqs = new HashMap<>();
        final Map<Integer, Integer> prompts = new HashMap<>();
        int next, prefillCalls, forks, frees, maxLive;
        long prefillTokens, decodeTokens;
        final List<Integer> stepSizes = new ArrayList<>();
        boolean closed;

        Batch(int maxSequences, int maxTokens) {
            this.maxSequences = maxSequences;
            this.maxTokens = maxTokens;
        }

        private int add(int[] tokens, int promptLength) {
            if (seqs.size() >= maxSequences) throw new IllegalStateException("batch full: " + maxSequences);
            seqs.put(next, tokens);
            prompts.put(next, promptLength);
            maxLive = Math.max(maxLive, seqs.size());
            return next++;
        }

        private int[] get(int seq) {
            int[] t = seqs.get(seq);
            if (t == null) throw new IllegalStateException("no live sequence " + seq);
            return t;
        }

        @Override public int prefill(int[] promptIds) {
            prefillCalls++;
            prefillTokens += promptIds.length;
            return add(promptIds.clone(), promptIds.length);
        }

        @Override public int fork(int seq) {
            forks++;
            return add(get(seq).clone(), prompts.get(seq));
        }

        @Override public void free(int seq) {
            get(seq);
            seqs.remove(seq);
            frees++;
        }

        @Override public int length(int seq) { return get(seq).length; }
        @Override public int[] tokens(int seq) { return get(seq).clone(); }

        @Override public void step(int[] s, int[] tokens) {
            stepSizes.add(s.length);
            for (int i = 0; i < s.length; i++) {
                int[] t = get(s[i]);
                if (t.length >= maxTokens) throw new IllegalStateException("sequence over " + maxTokens + " tokens");
                int[] u = Arrays.copyOf(t, t.length + 1);
                u[t.length] = tokens[i];
                seqs.put(s[i], u);
            }
            decodeTokens += s.length;
        }

        @Override public float[] logits(int seq) { return logitsFor(get(seq), prompts.get(seq)); }
        @Override public long prefillTokens() { return prefillTokens; }
        @Override public long decodeTokens() { return decodeTokens; }
        @Override public void close() { closed = true; }
    }
}
