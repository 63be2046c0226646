package org.llasalab.eval.run;

import org.llasalab.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.bench.Benchmarks;
import org.llasalab.eval.charts.ScalingCharts;
import org.llasalab.eval.experiment.Experiment.SaveAudio;
import org.llasalab.eval.run.RunSummary.Failure;
import org.llasalab.eval.results.Report;
import org.llasalab.eval.results.ResultTables;
import org.llasalab.verify.Verifier;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.Shard;
import org.llasalab.eval.experiment.SweepExpander;
import org.llasalab.eval.experiment.BudgetGroups;
import org.llasalab.eval.experiment.CostEstimate;
import org.llasalab.eval.experiment.ExperimentReader;
import org.llasalab.eval.experiment.ModelFingerprint;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.run.RunLock;
import org.llasalab.eval.results.UtteranceRecord;

/**
 * Runs an experiment: expands it into cells, runs every utterance of every cell that has no result
 * yet through a {@link CellExecutor}, and writes each result atomically as soon as it exists, so that
 * a run killed at any moment loses at most the utterance in flight and a rerun picks up where it
 * stopped. A failing cell or utterance is recorded and the run goes on. At the end it writes the tidy
 * and aggregate tables, the charts and {@code report.md}.
 */
public final class ExperimentRunner {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final CellExecutor executor;
    private final Progress progress;
    private final SweepExpander expander;
    private final Function<Experiment.DatasetSpec, List<BenchmarkItem>> dataset;

    public ExperimentRunner(CellExecutor executor, Progress progress) {
        this(executor, progress, new SweepExpander(), ExperimentRunner::loadItems);
    }

    public ExperimentRunner(CellExecutor executor, Progress progress, SweepExpander expander,
            Function<Experiment.DatasetSpec, List<BenchmarkItem>> dataset) {
        this.executor = executor;
        this.progress = progress;
        this.expander = expander;
        this.dataset = dataset;
    }

    /** The test items of an experiment's dataset (first {@code limit} of them). */
    public static List<BenchmarkItem> loadItems(Experiment.DatasetSpec spec) {
        String source = spec.name() != null ? spec.name() : spec.file().toString();
        return Benchmarks.open(source, null, spec.limit()).items();
    }

    public List<Cell> cells(Experiment e) {
        return expander.expand(e);
    }

    public List<BenchmarkItem> items(Experiment e) {
        return dataset.apply(e.dataset());
    }

    /**
     * Runs every unfinished utterance of every cell into {@code out} and writes tables, charts, report.
     * A full disk stops the run with a {@link DiskFullException} that says how to resume.
     */
    public RunSummary run(Experiment e, Path out) throws IOException {
        return run(e, out, Shard.ALL);
    }

    /**
     * Runs the unfinished utterances that fall to {@code shard} ({@link Shard}) into {@code out}, holding the
     * folder's {@link RunLock} for it. A shard writes the tables, charts and report only when it finds the whole
     * sweep finished (the last shard to end); {@link #merge} writes them whatever is finished. A full disk
     * stops the run with a {@link DiskFullException} that says how to resume. The run's time by component
     * ({@link RunClock}) goes to the folder's {@value RunClock#FILE} and report.
     */
    public RunSummary run(Experiment e, Path out, Shard shard) throws IOException {
        RunClock clock = executor != null && executor.clock() != null ? executor.clock() : new RunClock();
        clock.reopen(); // an executor that served a run before
        int[] written = new int[1];
        try {
            List<Cell> cells = cells(e);
            List<BenchmarkItem> items = clock.time(RunClock.Component.LOAD, () -> items(e));
            ResultsFolder folder = new ResultsFolder(out);
            Files.createDirectories(out);
            try (RunLock lock = RunLock.acquire(out, shard, () -> removeStaleTempFiles(folder, cells))) {
                return runLocked(e, folder, cells, items, shard, clock, written);
            }
        } catch (IOException ex) {
            throw DiskFullException.explain(ex, out, written[0]);
        }
    }

    /**
     * Builds the tables, charts and report from what the folder holds (every shard's results), with each cell's
     * status merged from its shards' parts, and says what is finished; runs nothing.
     */
    public SweepState merge(Experiment e, Path out) throws IOException {
        if (!Files.isDirectory(out)) throw new IOException(out + ": no such results folder");
        List<Cell> cells = cells(e);
        List<BenchmarkItem> items = items(e);
        ResultsFolder folder = new ResultsFolder(out);
        try (RunLock.Held publishing = RunLock.publishing(out)) {
            SweepState state = SweepState.of(folder, cells, items);
            state.writeStatuses(folder);
            publish(e, folder, cells, items, new LinkedHashMap<>(), null);
            return state;
        }
    }

    private RunSummary runLocked(Experiment e, ResultsFolder folder, List<Cell> cells, List<BenchmarkItem> items,
            Shard shard, RunClock clock, int[] writtenByRun) throws IOException {
        Path out = folder.dir();
        clock.enter(RunClock.Component.IO);
        AtomicFiles.write(folder.file(ResultsFolder.RESOLVED), YAML.writeValueAsString(resolved(e, cells, items.size())));

        // one look at what is finished: the count for progress, and the estimated work of what is not
        List<List<Cell>> groups = executor.sharesBudgets() ? BudgetGroups.of(cells) : BudgetGroups.single(cells);
        int alreadyDone = 0, total = 0;
        double work = 0;
        for (List<Cell> group : groups) {
            List<BenchmarkItem> groupItems = shard.items(group, items);
            total += group.size() * groupItems.size();
            for (BenchmarkItem item : groupItems) {
                List<Cell> lacking = group.stream().filter(c -> !isDone(folder, c, item)).toList();
                alreadyDone += group.size() - lacking.size();
                if (!lacking.isEmpty()) work += CostEstimate.ofBudgetGroup(lacking).work();
            }
        }
        clock.exit();
        progress.start(total, alreadyDone, work);
        List<Failure> failures = new ArrayList<>();
        Map<String, Verifier.Direction> directions = new LinkedHashMap<>();
        int cellsSkipped = 0, cellsFailed = 0, ran = 0, skipped = 0;
        for (List<Cell> group : groups) {
            List<BenchmarkItem> groupItems = shard.items(group, items);
            if (groupItems.isEmpty()) continue; // all of it falls to other shards
            Map<Cell, List<Failure>> cellFailures = new LinkedHashMap<>();
            Map<BenchmarkItem, List<Cell>> lacking = new LinkedHashMap<>();
            for (Cell cell : group) {
                cellFailures.put(cell, new ArrayList<>());
                Path configFile = folder.cellConfig(cell.id());
                if (!Files.isRegularFile(configFile)) {
                    AtomicFiles.write(configFile, JSON.writeValueAsString(cell.config()));
                }
            }
            java.util.Set<Cell> pendingCells = new java.util.HashSet<>();
            for (BenchmarkItem item : groupItems) {
                for (Cell cell : group) {
                    if (isDone(folder, cell, item)) {
                        skipped++;
                    } else {
                        lacking.computeIfAbsent(item, k -> new ArrayList<>()).add(cell);
                        pendingCells.add(cell);
                    }
                }
            }
            List<Cell> toRun = new ArrayList<>();
            for (Cell cell : group) {
                if (pendingCells.contains(cell)) {
                    toRun.add(cell);
                } else {
                    cellsSkipped++;
                    writeStatus(folder, shard, cell, "done", List.of(), groupItems.size());
                }
            }
            if (toRun.isEmpty()) continue;
            Cell lead = group.getLast();
            progress.cellStarted(cells.indexOf(lead), cells.size(), lead, group, lacking.size());
            boolean opened = true;
            try {
                executor.open(lead);
            } catch (Exception ex) {
                opened = false;
                for (Cell c : toRun) cellFailures.get(c).add(new Failure(c.id(), c.label(), null, message(ex)));
            }
            if (opened) {
                for (var entry : lacking.entrySet()) {
                    BenchmarkItem item = entry.getKey();
                    List<Cell> members = entry.getValue(); // in ascending budget order, like the group
                    List<UtteranceRecord> results;
                    try {
                        results = group.size() == 1 ? List.of(executor.run(lead, item))
                                : executor.runBudgets(members, item);
                        if (results.size() != members.size()) {
                            throw new IllegalStateException("the executor returned " + results.size()
                                    + " results for " + members.size() + " budgets");
                        }
                    } catch (Exception ex) {
                        for (Cell c : members) cellFailures.get(c).add(new Failure(c.id(), c.label(), item.id(), message(ex)));
                        continue;
                    }
                    double searchWork = CostEstimate.ofBudgetGroup(members).work();
                    int written = 0;
                    for (int k = 0; k < members.size(); k++) {
                        Cell c = members.get(k);
                        try {
                            UtteranceRecord r = results.get(k);
                            clock.run(RunClock.Component.IO, () -> writeUtterance(folder, e.output().saveAudio(), c, item, r));
                            ran++;
                            written++;
                            writtenByRun[0]++;
                        } catch (Exception ex) {
                            // a full disk fails every later write too: stop rather than search in vain
                            if (DiskFullException.isDiskFull(ex)) throw new DiskFullException(out, writtenByRun[0], ex);
                            cellFailures.get(c).add(new Failure(c.id(), c.label(), item.id(), message(ex)));
                        }
                    }
                    progress.searchDone(written, searchWork);
                }
                try {
                    executor.closeCell(lead);
                } catch (RuntimeException ex) {
                    for (Cell c : toRun) {
                        cellFailures.get(c).add(new Failure(c.id(), c.label(), null, "closing: " + message(ex)));
                    }
                }
            }
            for (Cell cell : toRun) {
                for (var v : cell.evaluators()) {
                    Verifier.Direction d = executor.direction(v.name());
                    if (d != null) directions.putIfAbsent(v.name(), d);
                }
                List<Failure> mine = cellFailures.get(cell);
                failures.addAll(mine);
                if (mine.isEmpty()) {
                    writeStatus(folder, shard, cell, "done", List.of(), groupItems.size());
                    progress.cellFinished(cell, "done");
                } else {
                    cellsFailed++;
                    writeStatus(folder, shard, cell, "failed", mine, groupItems.size());
                    progress.cellFinished(cell, "FAILED: " + mine.getFirst().error());
                }
            }
        }
        progress.finish();
        RunSummary summary = new RunSummary(cells.size(), cellsSkipped, cellsFailed, ran, skipped, failures);
        Timing timing = new Timing(clock, summary, shard);
        try (RunLock.Held publishing = RunLock.publishing(out)) {
            if (shard.isAll()) {
                publish(e, folder, cells, items, directions, timing);
            } else {
                // the last shard to end finds the sweep finished and publishes (the others wait on the lock)
                SweepState state = SweepState.of(folder, cells, items);
                if (state.complete()) {
                    state.writeStatuses(folder);
                    publish(e, folder, cells, items, directions, timing);
                    progress.note("shard " + shard + ": the sweep is complete; tables, charts and report written");
                } else {
                    timing.write(folder);
                    progress.note("shard " + shard + " done; the sweep has " + state.utterancesDone() + " of "
                            + state.utterancesTotal() + " utterances: the last shard to end (or `llasa run FILE"
                            + " --output DIR --merge`) writes the tables");
                }
            }
        }
        return summary;
    }

    /** A run's clock and what the run did, to write as its time by component. */
    private record Timing(RunClock clock, RunSummary summary, Shard shard) {
        /** Stops the clock and writes the split into the folder (its report shows it). */
        void write(ResultsFolder folder) throws IOException {
            double load = clock.meanLoad();
            String header = "time by component of the last `llasa run` into this folder"
                    + (shard.isAll() ? "" : " (shard " + shard + ")") + ": " + summary.utterancesRun()
                    + " utterances run, " + summary.utterancesSkipped() + " reused; "
                    + Runtime.getRuntime().availableProcessors() + " cores" + (Double.isNaN(load) ? ""
                            : String.format(java.util.Locale.ROOT, ", mean load average %.2f during the run", load));
            RunClock.write(folder.dir(), clock.finish(), header);
        }
    }

    /**
     * Writes the tables, charts and report of {@code cells} x {@code items}; {@code directions} holds what the
     * run learnt of its metrics and gets what metrics.csv does not know yet from the executor. {@code timing}
     * (null for a merge) is written after the tables and charts, before the report.
     */
    private void publish(Experiment e, ResultsFolder folder, List<Cell> cells, List<BenchmarkItem> items,
            Map<String, Verifier.Direction> directions, Timing timing) throws IOException {
        // a metric scored only by cells finished before (or copied in from another folder) and unknown to the
        // folder's metrics.csv: ask the executor, which may open that verifier just for its direction
        Map<String, String> known = ResultTables.knownDirections(folder);
        for (String m : e.evaluate()) {
            if (directions.containsKey(m) || known.containsKey(m + "\n" + e.verifiers().get(m).type())) continue;
            Verifier.Direction d = executor == null ? null : executor.direction(m);
            if (d != null) directions.put(m, d);
        }
        if (timing != null) timing.clock().enter(RunClock.Component.TABLES);
        ResultTables.write(folder, e, cells, items, directions);
        ScalingCharts.drawAll(folder, "budget");
        if (timing != null) {
            timing.clock().exit();
            timing.write(folder);
        }
        Report.write(folder);
    }

    /** Deletes the temp files killed runs left behind in the folder and in the folders of {@code cells}. */
    private static void removeStaleTempFiles(ResultsFolder folder, List<Cell> cells) throws IOException {
        removeStaleTempFiles(folder.dir());
        removeStaleTempFiles(folder.charts());
        for (Cell cell : cells) {
            for (Path d : List.of(folder.cellDir(cell.id()), folder.cellDir(cell.id()).resolve("utterances"),
                    folder.dir().resolve("audio").resolve(cell.id()))) {
                removeStaleTempFiles(d);
            }
        }
    }

    /** Deletes the temp files a killed run left behind (never a finished result: those are renamed). */
    private static void removeStaleTempFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(".")
                    && p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * True when {@code item} of {@code cell} has a result written for this very item, scored by every
     * evaluation verifier of the cell as it is defined now (type, parameters, score revision:
     * {@link SweepExpander#judge}).
     */
    public static boolean isDone(ResultsFolder folder, Cell cell, BenchmarkItem item) {
        Path f = folder.utterance(cell.id(), item);
        if (!Files.isRegularFile(f)) return false;
        try {
            JsonNode node = JSON.readTree(f.toFile());
            if (!itemHash(item).equals(node.path("item_hash").asText())) return false;
            for (Experiment.VerifierSpec v : cell.evaluators()) {
                if (!node.path("metrics").has(v.name())) return false;
                // scored by another type, other parameters or an older revision of the verifier: score again
                if (!cell.judges().get(v.name()).equals(node.path("judges").path(v.name()).asText())) return false;
            }
            return true;
        } catch (IOException ex) {
            return false; // unreadable: run it again
        }
    }

    public static String itemHash(BenchmarkItem item) {
        String key = item.id() + "\n" + item.promptText() + "\n"
                + (item.promptWav() == null ? "" : item.promptWav().getFileName()) + "\n" + item.targetText()
                // the target emotion changes what emotion verifiers judge (only items that have one hash it)
                + (item.emotion() == null ? "" : "\nemotion=" + item.emotion());
        return HexFormat.of().formatHex(ModelFingerprint.sha256().digest(key.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
    }

    private static void writeUtterance(ResultsFolder folder, SaveAudio save, Cell cell, BenchmarkItem item,
            UtteranceRecord r) throws IOException {
        for (String metric : cell.evaluators().stream().map(Experiment.VerifierSpec::name).toList()) {
            if (!r.metrics().containsKey(metric)) {
                throw new IllegalStateException("the executor returned no score for evaluation verifier '" + metric + "'");
            }
        }
        List<String> audioFiles = new ArrayList<>();
        int keep = switch (save) {
            case NONE -> 0;
            case BEST -> Math.min(1, r.audio().size());
            case ALL -> r.audio().size();
        };
        for (int k = 0; k < keep; k++) {
            Path wav = folder.audio(cell.id(), item, k);
            Wav.write(wav, new Audio(r.audio().get(k), r.sampleRate()), false);
            audioFiles.add(folder.dir().relativize(wav).toString().replace('\\', '/'));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("item", item.id());
        json.put("item_hash", itemHash(item));
        json.put("metrics", new java.util.TreeMap<>(r.metrics()));
        Map<String, String> judges = new java.util.TreeMap<>();
        for (Experiment.VerifierSpec v : cell.evaluators()) judges.put(v.name(), cell.judges().get(v.name()));
        json.put("judges", judges);
        json.put("ledger", new java.util.TreeMap<>(r.ledger()));
        json.put("details", new java.util.TreeMap<>(r.details()));
        json.put("audio", audioFiles);
        AtomicFiles.write(folder.utterance(cell.id(), item), JSON.writeValueAsString(json));
    }

    private static void writeStatus(ResultsFolder folder, Shard shard, Cell cell, String state, List<Failure> failures,
            int items)
            throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", state);
        json.put("cell", cell.label());
        json.put("utterances", items);
        json.put("errors", failures.stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("item", f.item());
            m.put("error", f.error());
            return m;
        }).toList());
        AtomicFiles.write(folder.shardStatus(cell.id(), shard), JSON.writeValueAsString(json));
    }

    /** The experiment with defaults filled in and paths resolved, followed by its cells. */
    static Map<String, Object> resolved(Experiment e, List<Cell> cells, int items) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("source", e.file().toAbsolutePath().toString());
        Map<String, Object> models = new LinkedHashMap<>();
        e.models().forEach((k, v) -> {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("path", String.valueOf(v.dir()));
            mm.put("codec", String.valueOf(v.codecDir()));
            if (v.dtype() != null) mm.put("dtype", v.dtype());
            if (v.quantize() != null) mm.put("quantize", v.quantize());
            models.put(k, mm);
        });
        m.put("models", models);
        Map<String, Object> ds = new LinkedHashMap<>();
        if (e.dataset().name() != null) ds.put("name", e.dataset().name());
        ds.put("path", String.valueOf(e.dataset().file()));
        ds.put("limit", e.dataset().limit());
        ds.put("items", items);
        m.put("dataset", ds);
        Map<String, Object> strategies = new LinkedHashMap<>();
        e.strategies().forEach((k, v) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("type", v.type());
            s.putAll(v.params());
            s.put(ExperimentReader.VOICE_PROMPT_KEY, v.voicePrompt());
            s.put("budgets", v.budgets());
            strategies.put(k, s);
        });
        m.put("strategies", strategies);
        Map<String, Object> verifiers = new LinkedHashMap<>();
        e.verifiers().forEach((k, v) -> verifiers.put(k, Map.of("type", v.type(), "params", v.params())));
        m.put("verifiers", verifiers);
        Map<String, Object> search = new LinkedHashMap<>();
        e.strategies().forEach((k, v) -> search.put(k, v.guides()));
        m.put("search", search);
        m.put("evaluate", e.evaluate());
        m.put("sampling", new java.util.TreeMap<>(e.sampling().asMap()));
        m.put("seeds", e.seeds());
        m.put("sweep", Map.of("zip", e.zip()));
        m.put("output", Map.of("dir", e.output().dir().toString(),
                "save_audio", e.output().saveAudio().name().toLowerCase(java.util.Locale.ROOT)));
        List<Map<String, Object>> cellList = new ArrayList<>();
        for (Cell c : cells) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("id", c.id());
            cm.put("model", c.model().name());
            cm.put("strategy", c.strategy().name());
            cm.put("budget", c.budget());
            cm.put("seed", c.seed());
            cellList.add(cm);
        }
        m.put("cells", cellList);
        return m;
    }

    public static String message(Throwable ex) {
        String msg = ex.getMessage();
        return (msg == null || msg.isBlank()) ? ex.getClass().getSimpleName() : msg.replace('\n', ' ');
    }
}
