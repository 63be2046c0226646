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
    /** A verifier under its column name. */
    public record Column(String name, String type, Verifier verifier) {}

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
     * Call {@link #checkOutputs} first.
     */
    public static List<UtteranceResult> score(Benchmark benchmark, Path audioDir, List<Column> columns, int batchSize,
                                              Consumer<String> progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        List<BenchmarkItem> items = benchmark.items();
        Map<String, UtteranceResult> byId = new HashMap<>();
        List<BenchmarkItem> present = new ArrayList<>();
        for (BenchmarkItem item : items) {
            if (Files.exists(outputOf(audioDir, item))) present.add(item);
            else byId.put(item.id(), UtteranceResult.missing(item, outputOf(audioDir, item)));
        }
        for (int start = 0; start < present.size(); start += batchSize) {
            List<BenchmarkItem> batch = present.subList(start, Math.min(present.size(), start + batchSize));
            List<Candidate> candidates = new ArrayList<>(batch.size());
            Map<Path, float[]> prompts = new HashMap<>();
            for (BenchmarkItem item : batch) {
                float[] audio = load(outputOf(audioDir, item));
                float[] prompt = prompts.computeIfAbsent(item.promptWav(), Evaluation::load);
                candidates.add(new Candidate(audio, item.targetText(), prompt, item.promptText(), null));
            }
            List<Map<String, Score>> scores = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) scores.add(new LinkedHashMap<>());
            for (Column column : columns) {
                List<Score> out = column.verifier().score(candidates);
                if (out == null || out.size() != candidates.size()) {
                    throw new IllegalStateException("verifier '" + column.name() + "' (" + column.type() + ") returned "
                            + (out == null ? "null" : out.size() + " scores") + " for " + candidates.size() + " candidates");
                }
                for (int i = 0; i < out.size(); i++) scores.get(i).put(column.name(), out.get(i));
            }
            for (int i = 0; i < batch.size(); i++) {
                BenchmarkItem item = batch.get(i);
                double seconds = candidates.get(i).audio().length / (double) EvalAudio.RATE;
                byId.put(item.id(), new UtteranceResult(item, outputOf(audioDir, item), false, seconds, scores.get(i)));
            }
            if (progress != null) {
                progress.accept("scored " + Math.min(present.size(), start + batchSize) + "/" + present.size());
            }
        }
        List<UtteranceResult> rows = new ArrayList<>(items.size());
        for (BenchmarkItem item : items) rows.add(byId.get(item.id()));
        return rows;
    }

    private static float[] load(Path file) {
        try {
            return EvalAudio.load16k(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
