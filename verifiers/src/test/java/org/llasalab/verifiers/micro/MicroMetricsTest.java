package org.llasalab.verifiers.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MicroMetricsTest {
    private static MicroMetrics.Trial t(double score, boolean target) {
        return new MicroMetrics.Trial(score, target);
    }

    @Test
    void separableTrialsHaveZeroEer() {
        assertEquals(0, MicroMetrics.equalErrorRate(List.of(t(0.9, true), t(0.8, true), t(0.2, false), t(0.1, false))), 1e-12);
    }

    @Test
    void reversedTrialsHaveEerOne() {
        assertEquals(1, MicroMetrics.equalErrorRate(List.of(t(0.1, true), t(0.2, true), t(0.8, false), t(0.9, false))), 1e-12);
    }

    @Test
    void overlappingGaussiansGiveTheAnalyticEer() {
        // Targets N(1, 1), non-targets N(-1, 1): the EER is Phi(-1) = 0.1587.
        Random r = new Random(1);
        List<MicroMetrics.Trial> trials = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) trials.add(t(1 + r.nextGaussian(), true));
        for (int i = 0; i < 40_000; i++) trials.add(t(-1 + r.nextGaussian(), false));
        assertEquals(0.1587, MicroMetrics.equalErrorRate(trials), 0.005);
    }
}
