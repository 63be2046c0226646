package org.llasalab.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Length-bucketed batches over a fixed list of sequences, reproducible from a seed. Each epoch sorts the
 * sequences into buckets by length, shuffles within each bucket, cuts batches of at most {@code batch}
 * sequences from each bucket and shuffles the batch order. The position (epoch, batch index) is all a
 * checkpoint needs to resume the same stream.
 */
public final class BucketedBatches {
    private final List<TokenSequence> sequences;
    private final int batch;
    private final int[] boundaries;
    private final long seed;
    private int epoch;
    private int index;
    private List<List<TokenSequence>> order;

    /**
     * @param boundaries ascending upper bounds of sequence length per bucket; longer sequences go in a last bucket
     */
    public BucketedBatches(List<TokenSequence> sequences, int batch, int[] boundaries, long seed) {
        if (sequences.isEmpty()) throw new IllegalArgumentException("no training sequences");
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1");
        this.sequences = List.copyOf(sequences);
        this.batch = batch;
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
        for (List<TokenSequence> bucket : buckets) {
            Collections.shuffle(bucket, random);
            for (int i = 0; i < bucket.size(); i += batch) {
                batches.add(List.copyOf(bucket.subList(i, Math.min(bucket.size(), i + batch))));
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
