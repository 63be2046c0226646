package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketedBatchesTest {
    /** 40 sequences of 8 tokens and 12 of 30. */
    private static List<TokenSequence> sequences() {
        List<TokenSequence> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) out.add(new TokenSequence(new int[8], 2));
        for (int i = 0; i < 12; i++) out.add(new TokenSequence(new int[30], 2));
        return out;
    }

    /** Batch sizes of one epoch, by the length of their sequences. */
    private static List<int[]> sizes(BucketedBatches b) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < b.batchesPerEpoch(); i++) {
            List<TokenSequence> batch = b.next();
            out.add(new int[] {batch.getFirst().length(), batch.size()});
        }
        return out;
    }

    @Test
    void tokenAndAttentionCapsShrinkOnlyTheLongBuckets() {
        int[] bounds = {10, 32};
        // no cap: 8 sequences per batch in both buckets
        assertTrue(sizes(new BucketedBatches(sequences(), 8, 0, bounds, 1)).stream().allMatch(s -> s[1] <= 8));
        assertEquals(5 + 2, new BucketedBatches(sequences(), 8, 0, bounds, 1).batchesPerEpoch());
        // token cap 128: 12 of 10 tokens (capped at 8), 4 of 32 tokens
        assertEquals(5 + 3, new BucketedBatches(sequences(), 8, 128, bounds, 1).batchesPerEpoch());
        // attention cap 2,100 (sequences x bound^2): 8 of the short ones (21 allowed), 2 of the long ones
        BucketedBatches capped = new BucketedBatches(sequences(), 8, 0, 2_100, bounds, 1);
        assertEquals(5 + 6, capped.batchesPerEpoch());
        for (int[] s : sizes(capped)) {
            assertTrue(s[0] == 8 ? s[1] == 8 : s[1] == 2, "a batch of " + s[1] + " sequences of " + s[0] + " tokens");
        }
        // a cap below one sequence still leaves one sequence per batch
        assertEquals(40 + 12, new BucketedBatches(sequences(), 8, 0, 10, bounds, 1).batchesPerEpoch());
    }
}
