package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training YAML's problems are reported all at once, one line each with the file, line and key path. */
class TrainingConfigTest {
    @TempDir
    Path dir;

    @Test
    void everyProblemOfATrainingFileIsReportedAtOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("run.yaml"), TrainCommandTest.yaml("threads: 0\n")
                .replace("batch: 4", "batch: four")
                .replace("learning_rate: 0.003", "learning_rate: 3")
                .replace("template: no-system", "template: chat"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.load(file, false));
        List<String> lines = e.getMessage().lines().toList();
        assertEquals(4, lines.size(), e.getMessage());
        assertTrue(lines.get(0).startsWith(file + ":12: data.template: expected 'default' or 'no-system'"), lines.get(0));
        assertTrue(lines.get(1).startsWith(file + ":15: train.batch: expected an integer, found a string 'four'"),
                lines.get(1));
        assertTrue(lines.get(2).startsWith(file + ":17: train.learning_rate: 3 is out of range"), lines.get(2));
        assertTrue(lines.get(3).startsWith(file + ":24: threads: 0 is out of range [1, 256]"), lines.get(3));
    }

    @Test
    void aValidFileReadsAsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("run.yaml"), TrainCommandTest.yaml(""));
        TrainingConfig c = TrainingConfig.load(file, false);
        assertEquals(16, c.shape().hidden());
        assertEquals(List.of(40, 64), c.settings().batching().buckets());
        assertEquals(600, c.settings().speechTokenBudget());
        assertEquals(dir.resolve("out"), c.output());
        assertEquals(dir.resolve("cache.bin"), c.data().cache());
        assertEquals("f32", c.exportDtype());
    }
}
