package org.llasalab.eval.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The ETA follows the estimated work that remains, not the number of utterances. */
class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void etaWeighsRemainingWork() {
        Progress p = new Progress(new PrintStream(new ByteArrayOutputStream()), false);
        // 10 utterances: the first 5 are cheap (10 units of work in all), the last 5 cost 90.
        p.start(10, 0, 100);
        p.searchDone(5, 10);
        String line = p.status(10 * SECOND);
        // half the utterances but a tenth of the work in 10 s: 90 s to go, not 10 s.
        assertTrue(line.contains("5/10 utterances (50%)"), line);
        assertTrue(line.endsWith("ETA 1m30s"), line);
    }

    @Test
    void theEtaLeavesOutTheFirstSearchWhichCarriesTheStartUp() {
        Progress p = new Progress(new PrintStream(new ByteArrayOutputStream()), false);
        p.start(10, 0, 100);
        p.searchDone(1, 10, 30 * SECOND); // loading and warm-up: 30 s for 10 units
        p.searchDone(4, 40, 40 * SECOND); // then 40 units in 10 s
        String line = p.status(40 * SECOND);
        assertTrue(line.endsWith("ETA 12s"), line); // 50 units to go at 4 per second, not 40 s
    }

    @Test
    void withoutAnEstimateTheEtaCountsUtterances() {
        Progress p = new Progress(new PrintStream(new ByteArrayOutputStream()), false);
        p.start(10, 2, 0);
        p.searchDone(4, 0);
        String line = p.status(8 * SECOND);
        assertTrue(line.endsWith("ETA 8s"), line); // 2 s per utterance run, 4 to go
    }
}
