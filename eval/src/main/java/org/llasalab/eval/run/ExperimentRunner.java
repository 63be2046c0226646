package org.llasalab.eval.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.bench.Benchmarks;
import org.llasalab.eval.experiment.BudgetGroups;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.CostEstimate;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.ExperimentReader;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.experiment.Shard;
import org.llasalab.eval.experiment.SweepExpander;
import org.llasalab.eval.results.ResultTables;
import org.llasalab.eval.results.UtteranceRecord;
import org.llasalab.eval.results.UtteranceStore;
import org.llasalab.eval.run.RunSummary.Failure;
import org.llasalab.io.AtomicFiles;
import org.llasalab.verify.Verifier;

/**
 * Runs an experiment: expands it into cells, runs every utterance of every cell that has no result
 * yet through a {@link CellExecutor}, and writes each result atomically as soon as it exists
 * ({@link UtteranceStore}), so that a run killed at any moment loses at most the utterance in flight and a
 * rerun picks up where it stopped. A failing cell or utterance is recorded and the run goes on. At the end
 * it publishes the tables, charts and {@code report.md} ({@link Publish}).
 *
 * <p>{@link #run} in steps: {@code plan} (resolved.yaml, the groups of cells run together), {@code Resume}
 * (what is finished already), {@code runGroup} per group ({@code search}: open, run and write, close), then
 * {@code publishWhenFinished}.
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
        Tally tally = new Tally();
        try {
            List<Cell> cells = cells(e);
            List<BenchmarkItem> items = clock.time(RunClock.Component.LOAD, () -> items(e));
            ResultsFolder folder = new ResultsFolder(out);
            Files.createDirectories(out);
            try (RunLock lock = RunLock.acquire(out, shard, () -> removeStaleTempFiles(folder, cells))) {
                List<List<Cell>> groups = clock.time(RunClock.Component.IO, () -> plan(e, folder, cells, items));
                Resume resume = clock.time(RunClock.Component.IO, () -> Resume.of(folder, groups, items, shard));
                progress.start(resume.utterances(), resume.done(), resume.work());
                for (List<Cell> group : groups) {
                    runGroup(e, folder, cells, group, shard.items(group, items), shard, clock, tally);
                }
                progress.finish();
                RunSummary summary = tally.summary(cells.size());
                publishWhenFinished(e, folder, cells, items, shard, tally.directions,
                        new Publish.Timing(clock, summary, shard));
                return summary;
            }
        } catch (IOException ex) {
            throw DiskFullException.explain(ex, out, tally.ran);
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

    /** What a run did so far: the counts of its summary, its failures, the metrics' directions it learnt. */
    private static final class Tally {
        final List<Failure> failures = new ArrayList<>();
        final Map<String, Verifier.Direction> directions = new LinkedHashMap<>();
        int cellsSkipped, cellsFailed, ran, skipped;

        RunSummary summary(int cells) {
            return new RunSummary(cells, cellsSkipped, cellsFailed, ran, skipped, failures);
        }
    }

    /**
     * The plan of a run: writes the resolved experiment ({@value ResultsFolder#RESOLVED}) and returns the cells in
     * the groups the executor runs together (the budgets of one search when it shares them, else one cell each).
     */
    private List<List<Cell>> plan(Experiment e, ResultsFolder folder, List<Cell> cells, List<BenchmarkItem> items)
            throws IOException {
        AtomicFiles.write(folder.file(ResultsFolder.RESOLVED), YAML.writeValueAsString(resolved(e, cells, items.size())));
        return executor.sharesBudgets() ? BudgetGroups.of(cells) : BudgetGroups.single(cells);
    }

    /**
     * Where a run resumes, from one look at what is finished: the utterances that fall to its shard, how many
     * of them are done, and the estimated work of the rest (for the progress line).
     */
    private record Resume(int utterances, int done, double work) {
        static Resume of(ResultsFolder folder, List<List<Cell>> groups, List<BenchmarkItem> items, Shard shard) {
            int total = 0, lacking = 0;
            double work = 0;
            for (List<Cell> group : groups) {
                List<BenchmarkItem> groupItems = shard.items(group, items);
                total += group.size() * groupItems.size();
                for (List<Cell> cells : lacking(folder, group, groupItems).values()) {
                    lacking += cells.size();
                    work += CostEstimate.ofBudgetGroup(cells).work();
                }
            }
            return new Resume(total, total - lacking, work);
        }
    }

    /** Per item, the cells of {@code group} (in group order) that lack its result; items none lacks are left out. */
    private static Map<BenchmarkItem, List<Cell>> lacking(ResultsFolder folder, List<Cell> group,
            List<BenchmarkItem> items) {
        Map<BenchmarkItem, List<Cell>> lacking = new LinkedHashMap<>();
        for (BenchmarkItem item : items) {
            List<Cell> cells = group.stream().filter(c -> !UtteranceStore.isDone(folder, c, item)).toList();
            if (!cells.isEmpty()) lacking.put(item, cells);
        }
        return lacking;
    }

    /**
     * Runs the unfinished utterances of one group ({@code items}: those of the group that fall to the shard) and
     * writes each cell's status: done for a cell that had nothing left to run.
     */
    private void runGroup(Experiment e, ResultsFolder folder, List<Cell> cells, List<Cell> group,
            List<BenchmarkItem> items, Shard shard, RunClock clock, Tally tally) throws IOException {
        if (items.isEmpty()) return; // all of it falls to other shards
        for (Cell cell : group) {
            Path configFile = folder.cellConfig(cell.id());
            if (!Files.isRegularFile(configFile)) AtomicFiles.write(configFile, JSON.writeValueAsString(cell.config()));
        }
        Map<BenchmarkItem, List<Cell>> lacking = lacking(folder, group, items);
        Set<Cell> pending = new HashSet<>();
        lacking.values().forEach(pending::addAll);
        tally.skipped += group.size() * items.size() - lacking.values().stream().mapToInt(List::size).sum();
        List<Cell> toRun = new ArrayList<>();
        for (Cell cell : group) {
            if (pending.contains(cell)) {
                toRun.add(cell);
            } else {
                tally.cellsSkipped++;
                writeStatus(folder.shardStatus(cell.id(), shard), "done", cell, items.size(), List.of());
            }
        }
        if (toRun.isEmpty()) return;
        Cell lead = group.getLast();
        progress.cellStarted(cells.indexOf(lead), cells.size(), lead, group, lacking.size());
        Map<Cell, List<Failure>> failures = search(e, folder, lead, group.size() == 1, toRun, lacking, clock, tally);
        for (Cell cell : toRun) {
            for (var v : cell.evaluators()) {
                Verifier.Direction d = executor.direction(v.name());
                if (d != null) tally.directions.putIfAbsent(v.name(), d);
            }
            List<Failure> mine = failures.get(cell);
            tally.failures.addAll(mine);
            if (mine.isEmpty()) {
                writeStatus(folder.shardStatus(cell.id(), shard), "done", cell, items.size(), List.of());
                progress.cellFinished(cell, "done");
            } else {
                tally.cellsFailed++;
                writeStatus(folder.shardStatus(cell.id(), shard), "failed", cell, items.size(), mine);
                progress.cellFinished(cell, "FAILED: " + mine.getFirst().error());
            }
        }
    }

    /**
     * Opens the executor for the group's {@code lead} cell, runs every lacking utterance (one search per item
     * serves the budgets lacking it, or the one cell of a {@code single} group), writes each result as soon as
     * it exists, and closes the cell; returns the failures of each cell of {@code toRun}.
     */
    private Map<Cell, List<Failure>> search(Experiment e, ResultsFolder folder, Cell lead, boolean single,
            List<Cell> toRun, Map<BenchmarkItem, List<Cell>> lacking, RunClock clock, Tally tally) throws IOException {
        Map<Cell, List<Failure>> failures = new LinkedHashMap<>();
        for (Cell c : toRun) failures.put(c, new ArrayList<>());
        try {
            executor.open(lead);
        } catch (Exception ex) {
            for (Cell c : toRun) failures.get(c).add(new Failure(c.id(), c.label(), null, message(ex)));
            return failures;
        }
        for (var entry : lacking.entrySet()) {
            BenchmarkItem item = entry.getKey();
            List<Cell> members = entry.getValue(); // in ascending budget order, like the group
            List<UtteranceRecord> results;
            try {
                results = single ? List.of(executor.run(lead, item)) : executor.runBudgets(members, item);
                if (results.size() != members.size()) {
                    throw new IllegalStateException("the executor returned " + results.size()
                            + " results for " + members.size() + " budgets");
                }
            } catch (Exception ex) {
                for (Cell c : members) failures.get(c).add(new Failure(c.id(), c.label(), item.id(), message(ex)));
                continue;
            }
            double searchWork = CostEstimate.ofBudgetGroup(members).work();
            int written = 0;
            for (int k = 0; k < members.size(); k++) {
                Cell c = members.get(k);
                try {
                    UtteranceRecord r = results.get(k);
                    clock.run(RunClock.Component.IO, () -> UtteranceStore.write(folder, e.output().saveAudio(), c, item, r));
                    tally.ran++;
                    written++;
                } catch (Exception ex) {
                    // a full disk fails every later write too: stop rather than search in vain
                    if (DiskFullException.isDiskFull(ex)) throw new DiskFullException(folder.dir(), tally.ran, ex);
                    failures.get(c).add(new Failure(c.id(), c.label(), item.id(), message(ex)));
                }
            }
            progress.searchDone(written, searchWork);
        }
        try {
            executor.closeCell(lead);
        } catch (RuntimeException ex) {
            for (Cell c : toRun) failures.get(c).add(new Failure(c.id(), c.label(), null, "closing: " + message(ex)));
        }
        return failures;
    }

    /**
     * Publishes at the end of a run: an unsharded run always; a shard when it finds the whole sweep finished (the
     * last shard to end; the others wait on the publish lock), else it writes its timing and says what is left.
     */
    private void publishWhenFinished(Experiment e, ResultsFolder folder, List<Cell> cells, List<BenchmarkItem> items,
            Shard shard, Map<String, Verifier.Direction> directions, Publish.Timing timing) throws IOException {
        try (RunLock.Held publishing = RunLock.publishing(folder.dir())) {
            if (shard.isAll()) {
                publish(e, folder, cells, items, directions, timing);
                return;
            }
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

    /**
     * {@link Publish#sweep} of {@code cells} x {@code items}; {@code directions} holds what the run learnt of its
     * metrics and gets what metrics.csv does not know yet from the executor. {@code timing}: null for a merge.
     */
    private void publish(Experiment e, ResultsFolder folder, List<Cell> cells, List<BenchmarkItem> items,
            Map<String, Verifier.Direction> directions, Publish.Timing timing) throws IOException {
        // a metric scored only by cells finished before (or copied in from another folder) and unknown to the
        // folder's metrics.csv: ask the executor, which may open that verifier just for its direction
        Map<String, String> known = ResultTables.knownDirections(folder);
        for (String m : e.evaluate()) {
            if (directions.containsKey(m) || known.containsKey(m + "\n" + e.verifiers().get(m).type())) continue;
            Verifier.Direction d = executor == null ? null : executor.direction(m);
            if (d != null) directions.put(m, d);
        }
        Publish.sweep(folder, new Publish.Sweep(e, cells, items, directions), timing);
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
     * Writes a cell's status ({@code state}: done, failed or incomplete; the cell's label; its utterances; the
     * errors, each with its item or null for the whole cell) to {@code file}: its status.json or a shard's part.
     */
    static void writeStatus(Path file, String state, Cell cell, int utterances, List<Failure> failures)
            throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", state);
        json.put("cell", cell.label());
        json.put("utterances", utterances);
        json.put("errors", failures.stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("item", f.item());
            m.put("error", f.error());
            return m;
        }).toList());
        AtomicFiles.write(file, JSON.writeValueAsString(json));
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
        e.verifiers().forEach((k, v) -> {
            Map<String, Object> vm = new LinkedHashMap<>(); // not Map.of: its order changes from one JVM to the next
            vm.put("type", v.type());
            vm.put("params", v.params());
            verifiers.put(k, vm);
        });
        m.put("verifiers", verifiers);
        Map<String, Object> search = new LinkedHashMap<>();
        e.strategies().forEach((k, v) -> search.put(k, v.guides()));
        m.put("search", search);
        m.put("evaluate", e.evaluate());
        m.put("sampling", new java.util.TreeMap<>(e.sampling().asMap()));
        m.put("seeds", e.seeds());
        m.put("sweep", Map.of("zip", e.zip()));
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("dir", e.output().dir().toString());
        output.put("save_audio", e.output().saveAudio().name().toLowerCase(java.util.Locale.ROOT));
        m.put("output", output);
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
