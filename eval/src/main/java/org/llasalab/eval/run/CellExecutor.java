package org.llasalab.eval.run;

import java.util.List;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.verify.Verifier;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.results.UtteranceRecord;

/**
 * The seam between the runner and the models: synthesises one utterance of one cell and scores it.
 * The runner owns everything else (sweep, ids, resume, atomic writes, tables, charts, report), so it is
 * tested with a light executor while the real one ({@link SearchCellExecutor}) wires model, codec,
 * search strategy and verifiers.
 *
 * <p>Calls: {@code open(cell)} once before a cell's pending utterances, {@code run(cell, item)} for
 * each of them, {@code closeCell(cell)} after; {@code close()} at the end of the run. An exception from
 * {@code open} fails the whole cell, one from {@code run} fails that utterance; both are recorded and
 * the run goes on with the next utterance or cell.
 *
 * <p>Budget groups: an executor that {@link #sharesBudgets() shares budgets} is handed the cells of a
 * {@link BudgetGroups budget group} (best-of-N cells that differ only in their budget) together:
 * {@code open(lead)} with the group's largest-budget cell, {@code runBudgets(cells, item)} for each
 * utterance that any of them lacks (with just the cells that lack it), {@code closeCell(lead)} after.
 */
public interface CellExecutor extends AutoCloseable {
    /** Prepares a cell (loads its model, codec, verifiers; may reuse them across cells). */
    default void open(Cell cell) throws Exception {}

    /**
     * Synthesises {@code item} with the cell's strategy at the cell's budget (candidates generated as
     * one batch by the strategy) and scores the chosen candidate with every evaluation verifier.
     */
    UtteranceRecord run(Cell cell, BenchmarkItem item) throws Exception;

    /**
     * Whether {@link #runBudgets} serves the cells of a budget group with one search (default false:
     * every cell runs on its own).
     */
    default boolean sharesBudgets() {
        return false;
    }

    /**
     * Synthesises {@code item} for every cell of {@code cells} (members of one budget group, in
     * ascending budget order) with one best-of-N search at the largest of their budgets: budget k's
     * result is read off the first k candidates, with its own chosen candidate, metrics and compute
     * ledger, exactly as a run of that cell alone would give (candidate i depends only on the seed and i).
     * Returns one result per cell, in order. Only called when {@link #sharesBudgets()} is true.
     */
    default List<UtteranceRecord> runBudgets(List<Cell> cells, BenchmarkItem item) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not run budget groups");
    }

    /**
     * The clock this executor times its components on (LM, codec, verifiers, loading), which the runner
     * completes with its own (I/O, tables) and writes as the run's time by component; null (the
     * default): the runner uses a clock of its own.
     */
    default RunClock clock() {
        return null;
    }

    /** Releases what only this cell needed. */
    default void closeCell(Cell cell) {}

    /**
     * Whether higher or lower is better for the metric of evaluation verifier {@code verifierName}, or
     * null when unknown; may open the verifier to find out. Used to draw the guide-versus-held-out chart
     * as improvements and to judge paired differences.
     */
    default Verifier.Direction direction(String verifierName) {
        return null;
    }

    @Override
    default void close() throws Exception {}
}
