package org.llasalab.eval.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.eval.audio.AudioFiles;

/**
 * A seed-tts-eval test list ({@code meta.lst}): one item per line,
 * {@code utt|prompt_text|prompt_wav|target_text[|gt_wav]}, wav paths relative to the list's folder
 * (absolute paths are kept). Blank lines are ignored. Every malformed line (wrong field count, empty
 * id, prompt path or target text, duplicate id) and every missing or unreadable prompt or
 * ground-truth WAV is reported together in one {@link BenchmarkException} before anything is returned.
 * When the fifth field is absent the item has no ground truth (the reference scripts guess
 * {@code wavs/<utt>.wav}; here a ground truth is only used when the list names it).
 * A sidecar manifest beside the list ({@code STEM.items.tsv}, or {@code items.tsv} for {@code meta.lst})
 * gives the items attributes such as speaker, style and target emotion (see {@link ItemManifest}).
 */
public final class SeedTtsList {
    private SeedTtsList() {}

    /** Reads {@code list}; the benchmark is named after the file (or its folder for {@code meta.lst}). */
    public static Benchmark read(Path list) {
        return read(list, defaultName(list));
    }

    /** Adds a problem when {@code value} of field {@code field} is no path on this system (a NUL byte, say). */
    private static void pathProblem(Path dir, String field, String value, List<String> problems) {
        try {
            dir.resolve(value);
        } catch (java.nio.file.InvalidPathException e) {
            problems.add(field + " is not a valid path (" + e.getReason() + ")");
        }
    }

    public static Benchmark read(Path list, String name) {
        Path dir = list.toAbsolutePath().getParent();
        List<String> lines = ListLines.read(list);
        List<String> problems = new ArrayList<>();
        List<BenchmarkItem> items = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\\|", -1);
            if (f.length != 4 && f.length != 5) {
                problems.add("line " + lineNo + ": expected 4 or 5 '|'-separated fields "
                        + "(utt|prompt_text|prompt_wav|target_text[|gt_wav]), found " + f.length);
                continue;
            }
            String id = f[0].strip();
            String promptWav = f[2].strip();
            String target = f[3].strip();
            List<String> lineProblems = new ArrayList<>();
            String idProblem = AudioFiles.idProblem(id);
            if (idProblem != null) lineProblems.add(idProblem);
            if (promptWav.isEmpty()) lineProblems.add("empty prompt_wav");
            else pathProblem(dir, "prompt_wav", promptWav, lineProblems);
            if (f.length == 5 && !f[4].isBlank()) pathProblem(dir, "gt_wav", f[4].strip(), lineProblems);
            if (target.isEmpty()) lineProblems.add("empty target_text");
            Integer previous = idProblem == null ? firstLine.putIfAbsent(id, lineNo) : null;
            if (previous != null) lineProblems.add("duplicate utterance id '" + id + "' (first on line " + previous + ")");
            if (!lineProblems.isEmpty()) {
                problems.add("line " + lineNo + ": " + String.join("; ", lineProblems));
                continue;
            }
            String gt = f.length == 5 ? f[4].strip() : "";
            items.add(new BenchmarkItem(id, f[1].strip(), dir.resolve(promptWav), target,
                    gt.isEmpty() ? null : dir.resolve(gt)));
        }
        checkAudio(items, problems, lineNumbers(items, firstLine));
        if (!problems.isEmpty()) {
            throw new BenchmarkException(list, problems);
        }
        if (items.isEmpty()) {
            throw new BenchmarkException(list, List.of("no items (the list is empty)"));
        }
        Path manifest = ItemManifest.besides(list.toAbsolutePath());
        return new ListBenchmark(name, manifest == null ? items : ItemManifest.apply(manifest, items));
    }

    static String defaultName(Path list) {
        String file = list.getFileName().toString();
        String stem = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
        Path parent = list.toAbsolutePath().getParent();
        if (stem.equals("meta") && parent != null && parent.getFileName() != null) {
            return parent.getFileName().toString();
        }
        return stem;
    }

    private static Map<String, Integer> lineNumbers(List<BenchmarkItem> items, Map<String, Integer> firstLine) {
        Map<String, Integer> byId = new HashMap<>();
        for (BenchmarkItem item : items) byId.put(item.id(), firstLine.get(item.id()));
        return byId;
    }

    /** Adds one problem per missing or unreadable prompt / ground-truth file, naming the line. */
    static void checkAudio(List<BenchmarkItem> items, List<String> problems, Map<String, Integer> lineOf) {
        for (BenchmarkItem item : items) {
            String where = "line " + lineOf.get(item.id()) + " (" + item.id() + ")";
            String p = AudioFiles.problem(item.promptWav());
            if (p != null) problems.add(where + ": prompt_wav " + p);
            if (item.groundTruthWav() != null) {
                String g = AudioFiles.problem(item.groundTruthWav());
                if (g != null) problems.add(where + ": gt_wav " + g);
            }
        }
    }
}
