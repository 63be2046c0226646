package org.llasalab.eval.experiment;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.llasalab.eval.bench.BenchmarkItem;

/**
 * Shard {@code index} of {@code count} of a sweep ({@code llasa run FILE --shard I/N}, I from 0): the unit of
 * work is one utterance of one {@link BudgetGroups budget group} (a single cell, or the best-of-N budgets that
 * one search serves), and it falls to the shard {@code SHA-256(lead cell id + item id) mod count}. The hash
 * depends only on the ids, so every process of a sweep agrees on the split without talking to the others,
 * two shards never run (or write) the same utterance, a restarted shard takes back exactly its own work, and
 * a large cell spreads over all shards utterance by utterance. {@link #ALL} is the whole sweep.
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count
                    + ": expected I/N with N >= 1 and 0 <= I < N (I counts from 0, like SLURM_ARRAY_TASK_ID)");
        }
    }

    /** Parses {@code I/N}. */
    public static Shard parse(String spec) {
        String[] parts = spec.trim().split("/", -1);
        if (parts.length != 2) throw new IllegalArgumentException("--shard " + spec + ": expected I/N, e.g. 0/3");
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("--shard " + spec + ": expected I/N with whole numbers, e.g. 0/3");
        }
    }

    /** True for the whole sweep (one process does everything). */
    public boolean isAll() {
        return count == 1;
    }

    /** The shard (0 .. count-1) that runs {@code item} of {@code group} (cells in ascending budget order). */
    public static int of(List<Cell> group, BenchmarkItem item, int count) {
        String key = group.getLast().id() + "\n" + item.id();
        byte[] h = ModelFingerprint.sha256().digest(key.getBytes(StandardCharsets.UTF_8));
        return (int) Long.remainderUnsigned(ByteBuffer.wrap(h).getLong(), count);
    }

    /** True when {@code item} of {@code group} falls to this shard. */
    public boolean owns(List<Cell> group, BenchmarkItem item) {
        return isAll() || of(group, item, count) == index;
    }

    /** The items of {@code group} that fall to this shard, in their order. */
    public List<BenchmarkItem> items(List<Cell> group, List<BenchmarkItem> items) {
        return isAll() ? items : items.stream().filter(i -> owns(group, i)).toList();
    }

    /** What one shard gets: the cells it has utterances of, its utterances, how many are finished, what remains. */
    public record Part(Shard shard, int cells, int utterances, int done, CostEstimate remaining) {}

    /**
     * How a sweep of {@code groups} (budget groups, as the run forms them) x {@code items} splits into
     * {@code count} shards, with {@code done} telling finished utterances.
     */
    public static List<Part> plan(List<List<Cell>> groups, List<BenchmarkItem> items, int count,
            BiPredicate<Cell, BenchmarkItem> done) {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Shard shard = new Shard(i, count);
            int cells = 0, utterances = 0, finished = 0;
            CostEstimate remaining = CostEstimate.ZERO;
            for (List<Cell> group : groups) {
                List<BenchmarkItem> mine = shard.items(group, items);
                if (!mine.isEmpty()) cells += group.size();
                for (BenchmarkItem item : mine) {
                    List<Cell> lacking = group.stream().filter(c -> !done.test(c, item)).toList();
                    utterances += group.size();
                    finished += group.size() - lacking.size();
                    if (!lacking.isEmpty()) remaining = remaining.plus(CostEstimate.ofBudgetGroup(lacking));
                }
            }
            parts.add(new Part(shard, cells, utterances, finished, remaining));
        }
        return parts;
    }

    /** {@code I-of-N}, for file names. */
    public String tag() {
        return index + "-of-" + count;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
