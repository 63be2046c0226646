package org.llasalab.eval.score;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.llasalab.eval.audio.AudioFiles;
import org.llasalab.eval.audio.EvalAudio;
import org.llasalab.eval.bench.Benchmark;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/**
 * Scores a folder of {@code <utt>.wav} files (from any TTS system) against a benchmark: every output
 * is checked before any work starts, then the items are scored in batches, each verifier called
 * once per batch with candidates holding the 16 kHz mono output, the target text, the 16 kHz prompt
 * audio and the prompt text.
 */
public final class Evaluation {
    /** A verifier under its column name; {@code identity} (type and parameters) keys the score journal. */
    public record Column(String name, String type, String identity, Verifier verifier) {}

    private Evaluation() {}

    /** The output file expected for {@code item}. */
    public static Path outputOf(Path audioDir, BenchmarkItem item) {
        return audioDir.resolve(item.id() + ".wav");
    }

    /**
     * Checks that every {@code <utt>.wav} is present and looks like a WAV file. Unreadable files are
     * always errors; missing ones are errors unless {@code allowMissing}. All are reported together.
     * Returns the ids of the missing items (empty unless {@code allowMissing}).
     */
    public static List<String> checkOutputs(Benchmark benchmark, Path audioDir, boolean allowMissing) {
        if (!Files.isDirectory(audioDir)) {
            throw new IllegalArgumentException(audioDir + ": audio folder not found");
        }
        List<String> missing = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (BenchmarkItem item : benchmark.items()) {
            Path wav = outputOf(audioDir, item);
            if (!Files.exists(wav)) {
                missing.add(item.id());
            } else {
                String problem = AudioFiles.problem(wav);
                if (problem != null) unreadable.add(problem);
            }
        }
        List<String> problems = new ArrayList<>();
        if (!allowMissing) {
            missing.forEach(id -> problems.add("missing: " + outputOf(audioDir, id)));
        }
        problems.addAll(unreadable);
        if (missing.size() == benchmark.items().size()) {
            problems.add(0, "none of the " + missing.size() + " outputs <utt>.wav of benchmark '" + benchmark.name() + "' is there");
        }
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder(audioDir + ": " + problems.size() + " problem(s) with the outputs of benchmark '"
                    + benchmark.name() + "' (" + benchmark.items().size() + " items)");
            problems.stream().limit(50).forEach(p -> sb.append(System.lineSeparator()).append("  ").append(p));
            if (problems.size() > 50) sb.append(System.lineSeparator()).append("  ... and ").append(problems.size() - 50).append(" more");
            if (!allowMissing && !missing.isEmpty()) {
                sb.append(System.lineSeparator()).append("  (use --allow-missing to score the rest and list the missing ones)");
            }
            throw new IllegalArgumentException(sb.toString());
        }
        return List.copyOf(missing);
    }

    private static Path outputOf(Path audioDir, String id) {
        return audioDir.resolve(id + ".wav");
    }

    /**
     * Scores every present output; rows come back in benchmark order, missing items as missing rows.
     * Call {@link #checkOutputs} first. Scores still valid in {@code journal} (may be null) are reused;
     * the others are computed in batches of {@code batchSize} and journalled after each batch.
     */
    public static List<ScoredItem> score(Benchmark benchmark, Path audioDir, List<Column> columns, int batchSize,
                                              ScoreJournal journal, Consumer<String> progress) throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        List<BenchmarkItem> items = benchmark.items();
        Map<String, ScoredItem> byId = new HashMap<>();
        Map<String, Map<String, Score>> known = new HashMap<>();
        Map<String, Double> seconds = new HashMap<>();
        List<BenchmarkItem> todo = new ArrayList<>();
        int present = 0;
        for (BenchmarkItem item : items) {
            Path wav = outputOf(audioDir, item);
            if (!Files.exists(wav)) {
                byId.put(item.id(), ScoredItem.missing(item, wav));
                continue;
            }
            present++;
            Map<String, Score> scores = new LinkedHashMap<>();
            for (Column c : columns) {
                ScoreJournal.Reused r = journal == null ? null : journal.reuse(item.id(), c.name(), journalIdentity(c, item), wav);
                if (r != null) {
                    scores.put(c.name(), r.score());
                    seconds.put(item.id(), r.seconds());
                }
            }
            known.put(item.id(), scores);
            if (scores.size() < columns.size()) todo.add(item);
        }
        if (progress != null && present > todo.size()) {
            progress.accept("reusing the journalled scores of " + (present - todo.size()) + " utterance(s)");
        }
        for (int start = 0; start < todo.size(); start += batchSize) {
            List<BenchmarkItem> batch = todo.subList(start, Math.min(todo.size(), start + batchSize));
            List<Candidate> candidates = new ArrayList<>(batch.size());
            Map<Path, float[]> prompts = new HashMap<>();
            for (BenchmarkItem item : batch) {
                float[] audio = load(outputOf(audioDir, item));
                float[] prompt = prompts.computeIfAbsent(item.promptWav(), Evaluation::load);
                candidates.add(new Candidate(audio, item.targetText(), prompt, item.promptText(), item.emotion()));
                seconds.put(item.id(), audio.length / (double) EvalAudio.RATE);
            }
            for (Column column : columns) {
                List<Integer> need = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    if (!known.get(batch.get(i).id()).containsKey(column.name())) need.add(i);
                }
                if (need.isEmpty()) continue;
                List<Candidate> subset = need.stream().map(candidates::get).toList();
                List<Score> out = column.verifier().score(subset);
                if (out == null || out.size() != subset.size()) {
                    throw new IllegalStateException("verifier '" + column.name() + "' (" + column.type() + ") returned "
                            + (out == null ? "null" : out.size() + " scores") + " for " + subset.size() + " candidates");
                }
                for (int k = 0; k < need.size(); k++) {
                    BenchmarkItem item = batch.get(need.get(k));
                    known.get(item.id()).put(column.name(), out.get(k));
                    if (journal != null) {
                        journal.record(item.id(), column.name(), journalIdentity(column, item), outputOf(audioDir, item),
                                seconds.get(item.id()), out.get(k));
                    }
                }
            }
            if (journal != null) journal.flush();
            if (progress != null) {
                progress.accept("scored " + Math.min(todo.size(), start + batchSize) + "/" + todo.size());
            }
        }
        List<ScoredItem> rows = new ArrayList<>(items.size());
        for (BenchmarkItem item : items) {
            ScoredItem missing = byId.get(item.id());
            if (missing != null) {
                rows.add(missing);
            } else {
                Map<String, Score> ordered = new LinkedHashMap<>();
                for (Column c : columns) ordered.put(c.name(), known.get(item.id()).get(c.name()));
                rows.add(new ScoredItem(item, outputOf(audioDir, item), false, seconds.get(item.id()), ordered));
            }
        }
        return rows;
    }

    private static float[] load(Path file) {
        try {
            return EvalAudio.load16k(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The journal key of a score: the verifier's identity plus the item's target emotion, when it has one. */
    private static String journalIdentity(Column column, BenchmarkItem item) {
        return item.emotion() == null ? column.identity() : column.identity() + "|emotion=" + item.emotion();
    }
}
