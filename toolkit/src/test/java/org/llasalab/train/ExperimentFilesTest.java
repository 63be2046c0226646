package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped scaling experiment files are valid and describe the study: >= 4x in parameters, same budget >= 4 M. */
class ExperimentFilesTest {
    @Test
    void sizesSpanFourTimesOnTheSameSpeechTokens() throws Exception {
        Path dir = Path.of(System.getProperty("llasa.home", "..")).resolve("experiments");
        int vocab = 1100; // ~ template words + phonemes + specials + 1024 speech tokens
        TrainingConfig s = TrainingConfig.load(dir.resolve("train-micro-s.yaml"), false);
        TrainingConfig m = TrainingConfig.load(dir.resolve("train-micro-m.yaml"), false);
        TrainingConfig l = TrainingConfig.load(dir.resolve("train-micro-l.yaml"), false);
        long ps = s.shape().withVocab(vocab).parameterCount(), pm = m.shape().withVocab(vocab).parameterCount(),
                pl = l.shape().withVocab(vocab).parameterCount();
        System.out.printf("experiment sizes: S %,d  M %,d  L %,d parameters (vocab %d)%n", ps, pm, pl, vocab);
        assertTrue(ps < pm && pm < pl);
        assertTrue(pl >= 4 * ps, "L/S = " + pl / (double) ps);
        assertTrue(ps > 800_000 && pl < 8_000_000, "sizes fit this machine");
        for (TrainingConfig c : new TrainingConfig[] {s, m, l}) {
            assertEquals(s.settings().speechTokenBudget(), c.settings().speechTokenBudget());
            assertTrue(c.settings().speechTokenBudget() >= 4_000_000);
            assertEquals(s.data().pairsFraction(), c.data().pairsFraction());
            assertEquals(s.settings().seed(), c.settings().seed());
        }
    }

    @Test
    void theSecondFamilyChangesOnlyBudgetScheduleAndBatchCap() throws Exception {
        Path dir = Path.of(System.getProperty("llasa.home", "..")).resolve("experiments");
        for (String size : new String[] {"s", "m", "l"}) {
            TrainingConfig first = TrainingConfig.load(dir.resolve("train-micro-" + size + ".yaml"), false);
            TrainingConfig second = TrainingConfig.load(dir.resolve("train-micro-" + size + "-8m.yaml"), false);
            assertEquals(first.shape(), second.shape(), size);
            assertEquals(first.data(), second.data(), size);
            assertEquals(first.settings().optimiser().learningRate(), second.settings().optimiser().learningRate(), size);
            assertEquals(8_000_000, second.settings().speechTokenBudget(), size);
            assertEquals(LearningRateSchedule.Shape.WSD, second.settings().optimiser().schedule(), size);
            assertEquals(655_360, second.settings().batching().batchAttention(), size);
            assertEquals(Path.of(first.output() + "-8m"), second.output(), size);
        }
    }
}
