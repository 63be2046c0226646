package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.llasalab.train.LearningRateSchedule.Shape;

class LearningRateScheduleTest {
    @Test
    void cosineWarmsUpThenFallsToTheFloor() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 10, 110, 0.1, Shape.COSINE, 0.2);
        assertEquals(1e-4, s.at(0), 1e-12);
        assertEquals(1e-3, s.at(9), 1e-12);
        assertEquals(1e-3, s.at(10), 1e-12);
        assertEquals(0.55e-3, s.at(60), 1e-12); // half-way down
        assertEquals(1e-4, s.at(110), 1e-12);
        assertEquals(1e-4, s.at(500), 1e-12);
    }

    @Test
    void wsdHoldsThePeakThenDecaysLinearlyOverItsLastFraction() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3, 10, 100, 0.1, Shape.WSD, 0.2);
        assertEquals(80, s.decayStart());
        assertEquals(1e-3, s.at(10), 1e-12);
        assertEquals(1e-3, s.at(79), 1e-12);
        assertEquals(1e-3, s.at(80), 1e-12);
        assertEquals(0.55e-3, s.at(90), 1e-12);
        assertEquals(1e-4, s.at(100), 1e-12);
        assertEquals(1e-4, s.at(1000), 1e-12);
        for (long t = 1; t < 120; t++) assertTrue(s.at(t) <= s.at(t - 1) + 1e-15 || t <= 10, "not rising at " + t);
    }

    @Test
    void aLongerWsdBudgetKeepsTheLearningRatesBeforeTheOldDecay() {
        LearningRateSchedule planned = new LearningRateSchedule(1e-3, 10, 1000, 0.1, Shape.WSD, 0.2);
        LearningRateSchedule extended = new LearningRateSchedule(1e-3, 10, 3000, 0.1, Shape.WSD, 0.2);
        for (long t = 0; t < planned.decayStart(); t++) assertEquals(planned.at(t), extended.at(t), 0.0, "update " + t);
        // a cosine schedule, by contrast, changes at once
        LearningRateSchedule cosine = new LearningRateSchedule(1e-3, 10, 1000, 0.1, Shape.COSINE, 0.2);
        LearningRateSchedule cosineLonger = new LearningRateSchedule(1e-3, 10, 3000, 0.1, Shape.COSINE, 0.2);
        assertTrue(cosineLonger.at(500) > cosine.at(500) * 1.3);
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1e-3, 10, 100, 0.1, Shape.WSD, 0));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0, 10, 100, 0.1, Shape.WSD, 0.2));
    }
}
