package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerSettingsTest {
    /** Two trainings described alike compare equal, length buckets included. */
    @Test
    void batchingComparesItsBucketsByValue() {
        var a = new TrainerSettings.Batching(16, List.of(160, 224, 288), 4096, 655_360);
        var b = new TrainerSettings.Batching(16, List.of(160, 224, 288), 4096, 655_360);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new TrainerSettings.Batching(16, List.of(160, 224, 320), 4096, 655_360));
        assertNotEquals(a, new TrainerSettings.Batching(16, List.of(160, 224, 288), 4096, 0));
        assertTrue(a.toString().contains("buckets=[160, 224, 288]"), a.toString());
    }

    @Test
    void batchingKeepsItsOwnCopyOfTheBuckets() {
        List<Integer> buckets = new ArrayList<>(List.of(160, 224));
        var a = new TrainerSettings.Batching(8, buckets, 0, 0);
        buckets.set(1, 999);
        assertThrows(UnsupportedOperationException.class, () -> a.buckets().set(0, 1));
        assertEquals(new TrainerSettings.Batching(8, List.of(160, 224), 0, 0), a);
        assertThrows(IllegalArgumentException.class, () -> new TrainerSettings.Batching(8, List.of(224, 160), 0, 0));
    }
}
