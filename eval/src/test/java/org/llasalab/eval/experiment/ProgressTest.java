package org.llasalab.eval.experiment;

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
    void withoutAnEstimateTheEtaCountsUtterances() {
        Progress p = new Progress(new PrintStream(new ByteArrayOutputStream()), false);
        p.start(10, 2, 0);
        p.searchDone(4, 0);
        String line = p.status(8 * SECOND);
        assertTrue(line.endsWith("ETA 8s"), line); // 2 s per utterance run, 4 to go
    }
}
