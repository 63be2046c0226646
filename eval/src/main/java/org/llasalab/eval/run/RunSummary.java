package org.llasalab.eval.run;

import java.util.List;

/** What a run did: cells and utterances run or skipped because already finished, and every failure. */
public record RunSummary(int cells, int cellsSkipped, int cellsFailed, int utterancesRun, int utterancesSkipped,
        List<Failure> failures) {

    /** A failed cell ({@code item} null: it could not start) or a failed utterance of a cell. */
    public record Failure(String cellId, String cell, String item, String error) {
        @Override
        public String toString() {
            return cellId + " (" + cell + ")" + (item == null ? "" : " utterance " + item) + ": " + error;
        }
    }

    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(cells).append(" cells: ").append(cells - cellsFailed).append(" complete (").append(cellsSkipped)
                .append(" already finished before this run), ").append(cellsFailed).append(" failed; ")
                .append(utterancesRun).append(" utterances run, ").append(utterancesSkipped)
                .append(" reused from earlier runs");
        if (!failures.isEmpty()) {
            b.append("\nfailures:");
            for (Failure f : failures) b.append("\n  ").append(f);
            b.append("\nfinished utterances are kept: fix the cause above and run the same command again; it runs only"
                    + " what failed or is missing");
        }
        return b.toString();
    }
}
