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

    @Test
    void theSecondFamilysExtraSmallSizeDiffersFromSOnlyInShapeAndLearningRate() throws Exception {
        Path dir = Path.of(System.getProperty("llasa.home", "..")).resolve("experiments");
        int vocab = 1100;
        TrainingConfig xs = TrainingConfig.load(dir.resolve("train-micro-xs-8m.yaml"), false);
        TrainingConfig s = TrainingConfig.load(dir.resolve("train-micro-s-8m.yaml"), false);
        TrainingConfig m = TrainingConfig.load(dir.resolve("train-micro-m-8m.yaml"), false);
        long pxs = xs.shape().withVocab(vocab).parameterCount(), ps = s.shape().withVocab(vocab).parameterCount(),
                pm = m.shape().withVocab(vocab).parameterCount();
        assertTrue(pxs < ps && pm >= 4 * pxs, "XS " + pxs + ", S " + ps + ", M " + pm + ": XS..M spans >= 4x");
        assertEquals(s.data(), xs.data());
        assertEquals(s.settings().speechTokenBudget(), xs.settings().speechTokenBudget());
        assertEquals(s.settings().seed(), xs.settings().seed());
        assertEquals(s.settings().batching().batchAttention(), xs.settings().batching().batchAttention());
        assertEquals(s.settings().batching().batch(), xs.settings().batching().batch());
        assertEquals(s.settings().cadence(), xs.settings().cadence());
        var a = s.settings().optimiser();
        var b = xs.settings().optimiser();
        assertEquals(new TrainerSettings.Optimiser(b.learningRate(), a.warmupSteps(), a.schedule(), a.finalLrFraction(),
                a.decayFraction(), a.weightDecay(), a.clipNorm(), a.beta1(), a.beta2()), b, "only the peak rate differs");
        assertTrue(b.learningRate() > a.learningRate(), "the smaller model, the higher peak rate (L 1e-3 .. S 2e-3)");
        assertEquals(Path.of("/work/data/train/micro-xs-8m"), xs.output());
    }
}
