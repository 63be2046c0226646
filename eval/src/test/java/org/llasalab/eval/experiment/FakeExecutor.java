package org.llasalab.eval.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.verify.Verifier;
import org.llasalab.eval.results.UtteranceRecord;
import org.llasalab.eval.run.CellExecutor;

/**
 * A light executor for runner tests: deterministic scores that improve with the budget (WER falls, SIM
 * rises), a ledger proportional to the budget, short audio; it can be slowed down and made to fail.
 */
public class FakeExecutor implements CellExecutor {
    final AtomicInteger runs = new AtomicInteger();
    final AtomicInteger opens = new AtomicInteger();
    /** Searches run: one per run() call, one per runBudgets() call. */
    final AtomicInteger searches = new AtomicInteger();
    /** The budgets of each runBudgets() call, as "cell ids of the call/item". */
    final List<String> budgetCalls = new ArrayList<>();
    final List<String> ran = new ArrayList<>();
    private final long sleepMillis;
    private final String failingModel;
    private final String failingItem;
    private final boolean sharing;

    public FakeExecutor() {
        this(0, null, null);
    }

    public FakeExecutor(long sleepMillis, String failingModel, String failingItem) {
        this(sleepMillis, failingModel, failingItem, false);
    }

    /** {@code sharing}: serve budget groups with one (slept) search per utterance, like the real executor. */
    public FakeExecutor(long sleepMillis, String failingModel, String failingItem, boolean sharing) {
        this.sleepMillis = sleepMillis;
        this.failingModel = failingModel;
        this.failingItem = failingItem;
        this.sharing = sharing;
    }

    static FakeExecutor sharing() {
        return new FakeExecutor(0, null, null, true);
    }

    @Override
    public boolean sharesBudgets() {
        return sharing;
    }

    @Override
    public List<UtteranceRecord> runBudgets(List<Cell> cells, BenchmarkItem item) throws Exception {
        if (!sharing) return CellExecutor.super.runBudgets(cells, item);
        if (item.id().equals(failingItem)) throw new IllegalArgumentException("text too long for " + item.id());
        if (sleepMillis > 0) Thread.sleep(sleepMillis);
        searches.incrementAndGet();
        synchronized (budgetCalls) {
            budgetCalls.add(String.join(",", cells.stream().map(Cell::id).toList()) + "/" + item.id());
        }
        List<UtteranceRecord> out = new ArrayList<>();
        for (Cell c : cells) out.add(result(c, item));
        return out;
    }

    @Override
    public void open(Cell cell) {
        opens.incrementAndGet();
        if (cell.model().name().equals(failingModel)) {
            throw new IllegalStateException("model " + failingModel + " could not be loaded");
        }
    }

    @Override
    public UtteranceRecord run(Cell cell, BenchmarkItem item) throws Exception {
        if (item.id().equals(failingItem)) throw new IllegalArgumentException("text too long for " + item.id());
        if (sleepMillis > 0) Thread.sleep(sleepMillis);
        searches.incrementAndGet();
        return result(cell, item);
    }

    /** The result of one cell (counted in runs and ran). */
    private UtteranceRecord result(Cell cell, BenchmarkItem item) {
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
        return new UtteranceRecord(metrics, ledger, audio, 16000, Map.of("transcript", item.targetText()));
    }

    @Override
    public Verifier.Direction direction(String verifierName) {
        return verifierName.equals("wer") ? Verifier.Direction.LOWER_IS_BETTER : Verifier.Direction.HIGHER_IS_BETTER;
    }
}
