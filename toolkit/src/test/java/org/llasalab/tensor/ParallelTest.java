package org.llasalab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyTaskRunsOnceInEveryCallOfALongRun() throws InterruptedException {
        try (Parallel pool = new Parallel(3)) {
            for (int call = 0; call < 2000; call++) {
                int tasks = 1 + call % 37;
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                pool.forEach(tasks, (t, w) -> runs.incrementAndGet(t));
                for (int t = 0; t < tasks; t++) assertEquals(1, runs.get(t), "call " + call + ", task " + t);
                if (call % 500 == 0) Thread.sleep(5); // past the workers' spin: they park and must wake again
            }
        }
    }

    @Test
    void aFailingTaskReachesTheCallerAndThePoolGoesOn() {
        try (Parallel pool = new Parallel(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.forEach(64, (t, w) -> {
                if (t == 40) throw new IllegalStateException("task 40");
            }));
            assertEquals("task 40", e.getMessage());
            AtomicLong sum = new AtomicLong();
            pool.forEach(100, (t, w) -> sum.addAndGet(t));
            assertEquals(4950, sum.get());
        }
    }

    @Test
    void aClosedPoolRefusesWork() {
        Parallel pool = new Parallel(2);
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.forEach(4, (t, w) -> {}));
    }
}
