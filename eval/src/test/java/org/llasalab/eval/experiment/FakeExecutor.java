package org.llasalab.eval.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.verify.Verifier;

/**
 * A light executor for runner tests: deterministic scores that improve with the budget (WER falls, SIM
 * rises), a ledger proportional to the budget, short audio; it can be slowed down and made to fail.
 */
public class FakeExecutor implements CellExecutor {
    final AtomicInteger runs = new AtomicInteger();
    final AtomicInteger opens = new AtomicInteger();
    final List<String> ran = new ArrayList<>();
    private final long sleepMillis;
    private final String failingModel;
    private final String failingItem;

    public FakeExecutor() {
        this(0, null, null);
    }

    public FakeExecutor(long sleepMillis, String failingModel, String failingItem) {
        this.sleepMillis = sleepMillis;
        this.failingModel = failingModel;
        this.failingItem = failingItem;
    }

    @Override
    public void open(Cell cell) {
        opens.incrementAndGet();
        if (cell.model().name().equals(failingModel)) {
            throw new IllegalStateException("model " + failingModel + " could not be loaded");
        }
    }

    @Override
    public UtteranceResult run(Cell cell, BenchmarkItem item) throws Exception {
        if (item.id().equals(failingItem)) throw new IllegalArgumentException("text too long for " + item.id());
        if (sleepMillis > 0) Thread.sleep(sleepMillis);
        runs.incrementAndGet();
        synchronized (ran) {
            ran.add(cell.id() + "/" + item.id());
        }
        double noise = (Math.floorMod((item.id() + cell.seed()).hashCode(), 1000)) / 1000.0;
        double size = cell.model().name().equals("l") ? 0.8 : 1.0;
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (var v : cell.evaluators()) {
            double value = switch (v.type()) {
                case "fake-asr" -> size * (0.5 + 0.2 * noise) / Math.sqrt(cell.budget());
                default -> 1 - size * (0.4 + 0.1 * noise) / Math.sqrt(cell.budget());
            };
            metrics.put(v.name(), value);
        }
        Map<String, Double> ledger = Map.of("decode_tokens", 10.0 * cell.budget(), "verifier_calls",
                (double) cell.budget() * cell.guides().size());
        List<float[]> audio = new ArrayList<>();
        for (int k = 0; k < Math.min(cell.budget(), 2); k++) {
            float[] a = new float[160];
            for (int i = 0; i < a.length; i++) a[i] = (float) (0.1 * Math.sin(i * (k + 1) * 0.1));
            audio.add(a);
        }
        return new UtteranceResult(metrics, ledger, audio, 16000, Map.of("transcript", item.targetText()));
    }

    @Override
    public Verifier.Direction direction(String verifierName) {
        return verifierName.equals("wer") ? Verifier.Direction.LOWER_IS_BETTER : Verifier.Direction.HIGHER_IS_BETTER;
    }
}
