package org.llasalab.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Length-bucketed batches over a fixed list of sequences, reproducible from a seed. Each epoch sorts the
 * sequences into buckets by length, shuffles within each bucket, cuts batches of at most {@code batch}
 * sequences (and, with a token cap, at most {@code batchTokens / bucket bound} of them, so long buckets get
 * fewer sequences; with an attention cap, at most {@code batchAttention / bound^2}, because the attention
 * tensors of a batch grow with B x T^2 and dominate training memory at long buckets) from each bucket and
 * shuffles the batch order. The position (epoch, batch index) is all a
 * checkpoint needs to resume the same stream.
 */
public final class BucketedBatches {
    private final List<TokenSequence> sequences;
    private final int batch;
    private final int batchTokens;
    private final long batchAttention;
    private final int[] boundaries;
    private final long seed;
    private int epoch;
    private int index;
    private List<List<TokenSequence>> order;

    /**
     * @param boundaries ascending upper bounds of sequence length per bucket; longer sequences go in a last bucket
     */
    public BucketedBatches(List<TokenSequence> sequences, int batch, int batchTokens, int[] boundaries, long seed) {
        this(sequences, batch, batchTokens, 0, boundaries, seed);
    }

    /** @param batchAttention cap on sequences x bound^2 per batch (0: none) */
    public BucketedBatches(List<TokenSequence> sequences, int batch, int batchTokens, long batchAttention, int[] boundaries,
            long seed) {
        if (sequences.isEmpty()) throw new IllegalArgumentException("no training sequences");
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1");
        this.sequences = List.copyOf(sequences);
        this.batch = batch;
        this.batchTokens = batchTokens;
        this.batchAttention = batchAttention;
        this.boundaries = boundaries.clone();
        this.seed = seed;
        seek(0, 0);
    }

    /** Continues at the given position (as returned by {@link #epoch()} and {@link #index()}). */
    public void seek(int epoch, int index) {
        this.epoch = epoch;
        this.order = epochOrder(epoch);
        if (index < 0 || index > order.size()) throw new IllegalArgumentException("batch index " + index + " outside epoch");
        this.index = index;
    }

    public List<TokenSequence> next() {
        if (index >= order.size()) seek(epoch + 1, 0);
        return order.get(index++);
    }

    public int epoch() {
        return epoch;
    }

    /** Index of the next batch within the epoch. */
    public int index() {
        return index;
    }

    public int batchesPerEpoch() {
        return order.size();
    }

    private List<List<TokenSequence>> epochOrder(int e) {
        Random random = new Random(seed * 1_000_003L + e);
        List<List<TokenSequence>> buckets = new ArrayList<>();
        for (int i = 0; i <= boundaries.length; i++) buckets.add(new ArrayList<>());
        for (TokenSequence s : sequences) buckets.get(bucketOf(s.length())).add(s);
        List<List<TokenSequence>> batches = new ArrayList<>();
        for (int b = 0; b < buckets.size(); b++) {
            List<TokenSequence> bucket = buckets.get(b);
            Collections.shuffle(bucket, random);
            int bound = b < boundaries.length ? boundaries[b]
                    : bucket.stream().mapToInt(TokenSequence::length).max().orElse(1);
            int size = batchTokens > 0 ? Math.max(1, Math.min(batch, batchTokens / bound)) : batch;
            if (batchAttention > 0) size = (int) Math.max(1, Math.min(size, batchAttention / ((long) bound * bound)));
            for (int i = 0; i < bucket.size(); i += size) {
                batches.add(List.copyOf(bucket.subList(i, Math.min(bucket.size(), i + size))));
            }
        }
        Collections.shuffle(batches, random);
        return batches;
    }

    private int bucketOf(int length) {
        for (int i = 0; i < boundaries.length; i++) if (length <= boundaries[i]) return i;
        return boundaries.length;
    }
}
