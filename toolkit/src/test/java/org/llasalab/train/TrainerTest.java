package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {
    @org.junit.jupiter.api.BeforeAll
    static void oneNativeThread() {
        NativeBackend.select(NativeBackend.DEFAULT_BUILD, 1); // the machine is shared: one OpenMP thread is fastest
    }

    static final ModelShape TINY = LlamaTrainingGraphTest.TINY;

    static TrainerSettings settings() {
        return new TrainerSettings(1_000_000, 11, 0.05,
                new TrainerSettings.Batching(4, List.of(10, 14), 40, 0), // token cap: 4 sequences of <= 10 tokens, 2 of longer ones
                new TrainerSettings.Optimiser(3e-3, 5, LearningRateSchedule.Shape.COSINE, 0.1, 0.2, 0.01, 1.0, 0.9, 0.95),
                new TrainerSettings.Cadence(2, 6, 4, 2));
    }

    @Test
    void heldoutLossFromLogitsEqualsGraphLoss() {
        LlamaTrainingGraph graph = LlamaTrainingGraph.initialise(TINY, 5, 0.1);
        TrainingBatch batch = new TrainingBatch(TINY, LlamaTrainingGraphTest.copySequences(3, 9));
        Map<String, INDArray> out = graph.sameDiff().output(batch.placeholders(), LlamaTrainingGraph.LOGITS,
                LlamaTrainingGraph.LOSS);
        double[] mine = CrossEntropy.weightedSum(out.get(LlamaTrainingGraph.LOGITS), batch.labels(), batch.weights());
        assertEquals(batch.lossTokens(), (long) mine[1]);
        assertEquals(out.get(LlamaTrainingGraph.LOSS).getDouble(0), mine[0] / mine[1], 1e-4);
    }

    @Test
    void trainsLogsAndResumesExactly(@TempDir Path tmp) throws Exception {
        List<TokenSequence> train = LlamaTrainingGraphTest.copySequences(24, 1);
        List<TokenSequence> heldout = LlamaTrainingGraphTest.copySequences(6, 2);

        Trainer straight = new Trainer(TINY, settings(), train, heldout, tmp.resolve("a"));
        double before = straight.heldoutLoss();
        straight.run(false, 12);
        assertEquals(12, straight.step());
        assertTrue(straight.lastHeldoutLoss() < before - 0.3,
                "held-out loss fell: " + before + " -> " + straight.lastHeldoutLoss());

        // summary.json: the run's facts at its newest checkpoint (here the last update)
        assertEquals(straight.summary(), TrainingSummary.read(tmp.resolve("a")));
        assertEquals(new TrainingSummary(TINY.parameterCount(), 12, straight.tokens(), straight.speechTokens(),
                straight.flops(), straight.seconds(), straight.lastHeldoutLoss()), straight.summary());

        Trainer interrupted = new Trainer(TINY, settings(), train, heldout, tmp.resolve("b"));
        interrupted.run(false, 7); // checkpoint at step 4; steps 5..7 are lost, as in a killed run
        TrainingSummary atCheckpoint = TrainingSummary.read(tmp.resolve("b"));
        assertEquals(4, atCheckpoint.updates(), "the summary describes the checkpoint, not the lost updates");
        assertEquals(Checkpoints.latest(tmp.resolve("b")).state().summary(), atCheckpoint);
        Files.createDirectories(tmp.resolve("b/checkpoints/step-00000008.tmp123")); // killed while saving
        // as if an older trainer had written the curve so far: no speech_tokens column
        Path oldCsv = tmp.resolve("b/loss.csv");
        Files.write(oldCsv, Files.readAllLines(oldCsv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList());
        Trainer resumed = new Trainer(TINY, settings(), train, heldout, tmp.resolve("b"));
        resumed.run(true, 8);
        assertEquals(12, resumed.step());
        assertEquals(straight.tokens(), resumed.tokens());
        assertEquals(straight.flops(), resumed.flops(), 1e-3 * straight.flops());
        assertEquals(resumed.summary(), TrainingSummary.read(tmp.resolve("b")));
        assertEquals(straight.speechTokens(), TrainingSummary.read(tmp.resolve("b")).speechTokens());
        for (String name : straight.graph().parameterNames()) {
            INDArray a = straight.graph().parameter(name), b = resumed.graph().parameter(name);
            assertTrue(a.equalsWithEps(b, 1e-5), "weights differ after resume: " + name);
        }
        List<String> csv = Files.readAllLines(tmp.resolve("b/loss.csv"));
        assertEquals(TrainingLog.CSV_HEADER, csv.get(0));
        assertEquals(Files.readAllLines(tmp.resolve("a/loss.csv")).size(), csv.size(), "no duplicated rows: " + csv);
        assertTrue(csv.get(csv.size() - 1).startsWith("12,"));
        assertTrue(csv.get(csv.size() - 1).endsWith("," + resumed.speechTokens()), csv.get(csv.size() - 1));
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",", -1);
            assertEquals(7, f.length, row);
            // rows the older trainer wrote (up to the checkpoint at step 4) keep an empty speech_tokens field
            assertEquals(Long.parseLong(f[0]) <= 4, f[6].isEmpty(), row);
        }
        String log = Files.readString(tmp.resolve("b/train.log"));
        assertTrue(log.contains("resume:") && log.contains("tok/s") && log.contains("ETA"), log);
        assertTrue(Files.isDirectory(tmp.resolve("b/checkpoints/step-00000012")));
        assertFalse(Files.exists(tmp.resolve("b/checkpoints/step-00000008.tmp123")));
    }
}
