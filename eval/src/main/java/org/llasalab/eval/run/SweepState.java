package org.llasalab.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.run.RunSummary.Failure;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.results.UtteranceStore;

/**
 * What a results folder holds of a whole sweep, whichever processes wrote it: per cell, how many of its
 * utterances are finished and the errors that the shards recorded in their part statuses
 * ({@code cells/CELL/status-I-of-N.json}, see {@link ResultsFolder#shardStatus}). The merge step of a
 * sharded run turns it into each cell's {@code status.json}: done when every utterance is finished (an error
 * a later attempt made good is forgotten), else failed with the errors of the utterances still missing, else
 * incomplete (a shard has not run them yet).
 */
public record SweepState(List<CellState> cells, int utterances) {

    /** One cell: finished utterances and the errors recorded for the ones that are not. */
    public record CellState(Cell cell, int done, List<Failure> errors) {
        public String state(int utterances) {
            return done == utterances ? "done" : errors.isEmpty() ? "incomplete" : "failed";
        }
    }

    /** Reads the state of {@code cells} x {@code items} in {@code folder}. */
    public static SweepState of(ResultsFolder folder, List<Cell> cells, List<BenchmarkItem> items) throws IOException {
        List<CellState> out = new ArrayList<>();
        for (Cell c : cells) {
            Set<String> missing = new LinkedHashSet<>();
            for (BenchmarkItem item : items) {
                if (!UtteranceStore.isDone(folder, c, item)) missing.add(item.id());
            }
            List<Failure> errors = new ArrayList<>();
            if (!missing.isEmpty()) {
                Set<String> seen = new LinkedHashSet<>();
                for (Path f : statusFiles(folder, c)) {
                    JsonNode node;
                    try {
                        node = ExperimentRunner.JSON.readTree(f.toFile());
                    } catch (IOException ex) {
                        continue; // a status torn by a crash says nothing the results do not
                    }
                    for (JsonNode err : node.path("errors")) {
                        String item = err.path("item").isNull() || err.path("item").isMissingNode() ? null
                                : err.path("item").asText();
                        String message = err.path("error").asText();
                        if ((item == null || missing.contains(item)) && seen.add(item + "\n" + message)) {
                            errors.add(new Failure(c.id(), c.label(), item, message));
                        }
                    }
                }
            }
            out.add(new CellState(c, items.size() - missing.size(), List.copyOf(errors)));
        }
        return new SweepState(List.copyOf(out), items.size());
    }

    /** Every cell has every utterance. */
    public boolean complete() {
        return cells.stream().allMatch(c -> c.done() == utterances);
    }

    public int utterancesDone() {
        return cells.stream().mapToInt(CellState::done).sum();
    }

    public int utterancesTotal() {
        return cells.size() * utterances;
    }

    public List<Failure> failures() {
        return cells.stream().flatMap(c -> c.errors().stream()).toList();
    }

    /** Writes every cell's {@code status.json} from this state. */
    public void writeStatuses(ResultsFolder folder) throws IOException {
        for (CellState c : cells) {
            ExperimentRunner.writeStatus(folder.cellStatus(c.cell().id()), c.state(utterances), c.cell(), utterances,
                    c.errors());
        }
    }

    /** "N of M utterances finished; cells: D done, F failed, I incomplete" and the failures. */
    public String describe() {
        int done = 0, failed = 0, incomplete = 0;
        for (CellState c : cells) {
            switch (c.state(utterances)) {
                case "done" -> done++;
                case "failed" -> failed++;
                default -> incomplete++;
            }
        }
        StringBuilder b = new StringBuilder().append(utterancesDone()).append(" of ").append(utterancesTotal())
                .append(" utterances finished; ").append(cells.size()).append(" cells: ").append(done)
                .append(" done, ").append(failed).append(" failed, ").append(incomplete).append(" incomplete");
        List<Failure> failures = failures();
        if (!failures.isEmpty()) {
            b.append("\nfailures:");
            for (Failure f : failures) b.append("\n  ").append(f);
        }
        return b.toString();
    }

    /** The cell's own status.json and the part statuses of its shards. */
    private static List<Path> statusFiles(ResultsFolder folder, Cell c) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(folder.cellStatus(c.id()))) files.add(folder.cellStatus(c.id()));
        Path dir = folder.cellDir(c.id());
        if (!Files.isDirectory(dir)) return files;
        try (var list = Files.list(dir)) {
            list.filter(p -> p.getFileName().toString().matches("status-\\d+-of-\\d+\\.json")).sorted()
                    .forEach(files::add);
        }
        return files;
    }
}
