package org.llasalab.eval.experiment;

import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.verify.Verifier;

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
 */
public interface CellExecutor extends AutoCloseable {
    /** Prepares a cell (loads its model, codec, verifiers; may reuse them across cells). */
    default void open(Cell cell) throws Exception {}

    /**
     * Synthesises {@code item} with the cell's strategy at the cell's budget (candidates generated as
     * one batch by the strategy) and scores the chosen candidate with every evaluation verifier.
     */
    UtteranceResult run(Cell cell, BenchmarkItem item) throws Exception;

    /** Releases what only this cell needed. */
    default void closeCell(Cell cell) {}

    /**
     * Whether higher or lower is better for the metric of evaluation verifier {@code verifierName}, or
     * null when unknown. Used to draw the guide-versus-held-out chart as improvements.
     */
    default Verifier.Direction direction(String verifierName) {
        return null;
    }

    @Override
    default void close() throws Exception {}
}
