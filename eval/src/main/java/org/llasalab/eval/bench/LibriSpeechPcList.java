package org.llasalab.eval.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A LibriSpeech-PC continuation list in the format F5-TTS ships as
 * {@code librispeech_pc_test_clean_cross_sentence.lst} (1,127 same-speaker pairs from test-clean,
 * 4-10 s): six tab-separated fields per line,
 * {@code ref_utt  ref_duration  ref_text  gen_utt  gen_duration  gen_text}. The item is
 * {@code gen_utt}: say {@code gen_text} in the voice of {@code ref_utt}, whose transcript is
 * {@code ref_text}; the ground truth is the recording of {@code gen_utt}.
 *
 * <p>Audio lives in a LibriSpeech tree, {@code <root>/<speaker>/<chapter>/<utt>.wav}, where
 * {@code <root>} is the given audio root or, if it has one, its {@code test-clean/} or
 * {@code LibriSpeech/test-clean/} sub-folder. LibriSpeech ships FLAC, which this toolkit does not
 * decode: convert the tree to WAV first (e.g. {@code sox x.flac x.wav}); a FLAC-only file is
 * reported as such. Utterance ids must look like {@code speaker-chapter-index}. Durations must be
 * numbers (they are checked, not used). Blank lines are ignored; all problems are reported together.
 */
public final class LibriSpeechPcList {
    private LibriSpeechPcList() {}

    public static Benchmark read(Path list, Path audioRoot) {
        return read(list, audioRoot, SeedTtsList.defaultName(list));
    }

    public static Benchmark read(Path list, Path audioRoot, String name) {
        Path root = resolveRoot(audioRoot);
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
            String[] f = line.split("\t", -1);
            if (f.length != 6) {
                problems.add("line " + lineNo + ": expected 6 tab-separated fields "
                        + "(ref_utt, ref_dur, ref_text, gen_utt, gen_dur, gen_text), found " + f.length);
                continue;
            }
            String refUtt = f[0].strip();
            String genUtt = f[3].strip();
            List<String> lineProblems = new ArrayList<>();
            for (String utt : List.of(refUtt, genUtt)) {
                if (!utt.matches("[0-9A-Za-z]+-[0-9A-Za-z]+-[0-9A-Za-z]+")) {
                    lineProblems.add("utterance id '" + utt + "' is not speaker-chapter-index");
                }
            }
            for (int col : new int[] {1, 4}) {
                if (!isNumber(f[col].strip())) {
                    lineProblems.add("duration '" + f[col].strip() + "' is not a number");
                }
            }
            if (f[5].strip().isEmpty()) lineProblems.add("empty gen_text");
            Integer previous = lineProblems.isEmpty() ? firstLine.putIfAbsent(genUtt, lineNo) : null;
            if (previous != null) lineProblems.add("duplicate utterance id '" + genUtt + "' (first on line " + previous + ")");
            if (!lineProblems.isEmpty()) {
                problems.add("line " + lineNo + ": " + String.join("; ", lineProblems));
                continue;
            }
            items.add(new BenchmarkItem(genUtt, f[2].strip(), wavOf(root, refUtt), f[5].strip(), wavOf(root, genUtt)));
        }
        Map<String, Integer> lineOf = new HashMap<>();
        for (BenchmarkItem item : items) lineOf.put(item.id(), firstLine.get(item.id()));
        SeedTtsList.checkAudio(items, problems, lineOf);
        if (!problems.isEmpty()) {
            throw new BenchmarkException(list, problems);
        }
        if (items.isEmpty()) {
            throw new BenchmarkException(list, List.of("no items (the list is empty)"));
        }
        return new ListBenchmark(name, items);
    }

    /** True when the first non-blank line of {@code lines} has exactly six tab-separated fields. */
    static boolean looksLikeIt(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank()).findFirst()
                .map(l -> l.split("\t", -1).length == 6 && !l.contains("|")).orElse(false);
    }

    private static Path resolveRoot(Path audioRoot) {
        for (Path candidate : List.of(audioRoot.resolve("test-clean"), audioRoot.resolve("LibriSpeech").resolve("test-clean"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return audioRoot;
    }

    private static Path wavOf(Path root, String utt) {
        String[] parts = utt.split("-");
        Path dir = root.resolve(parts[0]).resolve(parts[1]);
        Path wav = dir.resolve(utt + ".wav");
        Path flac = dir.resolve(utt + ".flac");
        return !Files.exists(wav) && Files.exists(flac) ? flac : wav;
    }

    private static boolean isNumber(String s) {
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) && v >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
