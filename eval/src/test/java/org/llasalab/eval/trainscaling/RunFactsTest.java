package org.llasalab.eval.trainscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.io.DType;
import org.llasalab.io.LlamaConfig;
import org.llasalab.lm.RandomLlama;
import org.llasalab.train.TrainingConfig;
import org.llasalab.train.TrainingSummary;

/** A run's facts: from the trainer's summary.json, and from the loss curve for folders exported before summaries. */
class RunFactsTest {
    @TempDir
    Path dir;

    private static final String CURVE = """
            step,tokens,flops,train_loss,heldout_loss,seconds,speech_tokens
            10,1000,1.0e9,6.5,5.9,1.5,600
            20,2000,2.0e9,6.0,5.8,3.0,1300
            30,3000,3.0e9,5.5,,4.5,1900
            """;

    private TrainScalingStudy.Run run() throws IOException {
        Path yaml = Files.writeString(dir.resolve("train.yaml"), TrainScalingStudyTest.trainingYaml(16, "codec", "out"));
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("loss.csv"), CURVE);
        return new TrainScalingStudy.Run("r", yaml, TrainingConfig.load(yaml, false), null, null);
    }

    private long exportModel() throws IOException {
        Path model = dir.resolve("out/model");
        RandomLlama.write(model, new LlamaConfig(16, 1, 2, 1, 8, 32, 64, 1e-5, 10000.0, null, true, 1, new int[] {2}, 64),
                DType.F32, 16);
        return LlamaConfig.load(model).parameterCount();
    }

    @Test
    void anExportedModelIsDescribedByItsSummary() throws Exception {
        TrainScalingStudy.Run r = run();
        long parameters = exportModel();
        new TrainingSummary(parameters, 20, 2000, 1300, 2.0e9, 3.0, 5.8).write(dir.resolve("out/model"));
        // the run went on after the export: its own summary is newer, and is not the export's
        new TrainingSummary(parameters, 30, 3000, 1900, 3.0e9, 4.5, Double.NaN).write(dir.resolve("out"));
        RunFacts f = RunFacts.read(r);
        assertTrue(f.hasModel());
        assertNull(f.problem());
        assertEquals(parameters, f.parameters());
        assertEquals(3, f.curve().size());
        assertEquals(1300, f.speechTokens());
        assertEquals(2.0e9, f.flops());
        assertEquals(3.0, f.seconds());
        assertEquals(5.8, f.heldoutLoss());
    }

    @Test
    void aModelExportedBeforeSummariesIsDescribedByTheCurvesLastRowAndEvaluation() throws Exception {
        TrainScalingStudy.Run r = run();
        long parameters = exportModel();
        Files.writeString(dir.resolve("out/model/README.md"), "| updates | 10 |\n| held-out loss | 9.9999 |\n");
        RunFacts f = RunFacts.read(r);
        assertEquals(parameters, f.parameters(), "from config.json");
        assertEquals(1900, f.speechTokens(), "the last row's speech tokens");
        assertEquals(3.0e9, f.flops());
        assertEquals(4.5, f.seconds());
        assertEquals(5.8, f.heldoutLoss(), "the last evaluation; the model card is not read");
    }

    @Test
    void aRunNotExportedYetTakesItsSizeFromTheTrainersSummaryWhenThereIsOne() throws Exception {
        TrainScalingStudy.Run r = run();
        RunFacts f = RunFacts.read(r);
        assertFalse(f.hasModel());
        assertEquals(-1, f.parameters());
        assertTrue(f.problem().startsWith("no exported model ("), f.problem());
        assertTrue(Double.isNaN(f.heldoutLoss()) && f.speechTokens() == -1);
        new TrainingSummary(34_567, 20, 2000, 1300, 2.0e9, 3.0, 5.8).write(dir.resolve("out"));
        assertEquals(34_567, RunFacts.read(r).parameters());
        Files.delete(dir.resolve("out/loss.csv"));
        assertTrue(RunFacts.read(r).problem().startsWith("no loss curve ("), RunFacts.read(r).problem());
    }

    /**
     * The shipped micro-world models were exported before the trainer wrote summaries (and get none: a new
     * file would change their fingerprint, so every cell id over them): the curve gives their cards' facts.
     */
    @Test
    void theShippedModelsGiveTheFactsOfTheirModelCards() throws Exception {
        Path models = Path.of(System.getProperty("llasa.home"), "toolkit/microworld/models");
        Path yaml = Files.writeString(dir.resolve("train.yaml"), TrainScalingStudyTest.trainingYaml(16, "codec", "none"));
        int checked = 0;
        try (var folders = Files.list(models)) {
            for (Path shipped : folders.sorted().toList()) {
                if (!Files.isRegularFile(shipped.resolve("loss.csv"))) continue;
                TrainScalingStudy.Run r = new TrainScalingStudy.Run(shipped.getFileName().toString(), yaml,
                        TrainingConfig.load(yaml, false), null, shipped);
                assertTrue(r.usesShipped(), shipped.toString());
                assertFalse(TrainingSummary.exists(shipped), shipped + ": a shipped folder changed (its fingerprint too)");
                RunFacts f = RunFacts.read(r);
                String card = Files.readString(shipped.resolve("README.md"));
                assertEquals(LlamaConfig.load(shipped).parameterCount(), f.parameters());
                assertTrue(card.contains(String.format(java.util.Locale.ROOT, "(speech targets %,d)", f.speechTokens())),
                        shipped + ": " + f.speechTokens());
                assertTrue(card.contains(String.format(java.util.Locale.ROOT, "| held-out loss | %.4f ", f.heldoutLoss())),
                        shipped + ": " + f.heldoutLoss());
                assertTrue(card.contains(String.format(java.util.Locale.ROOT, "| training FLOPs | %.3e |", f.flops())),
                        shipped + ": " + f.flops());
                assertEquals(f.curve().getLast().seconds(), f.seconds());
                checked++;
            }
        }
        assertTrue(checked >= 6, checked + " shipped models");
    }

    @Test
    void aBrokenSummaryNamesItsFile() throws Exception {
        TrainScalingStudy.Run r = run();
        exportModel();
        Files.writeString(dir.resolve("out/model/summary.json"), "{\"parameters\": 1}");
        IOException e = assertThrows(IOException.class, () -> RunFacts.read(r));
        assertTrue(e.getMessage().startsWith(dir.resolve("out/model/summary.json") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("'updates'"), e.getMessage());
    }
}
