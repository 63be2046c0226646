package org.llasalab.eval.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test list's sidecar manifest: what the list's {@code |}-separated fields cannot say about an item,
 * such as its speaker, style and target emotion. A tab-separated file with a header line naming the
 * columns, one of them {@code utt} (the item id); every other column except {@code target_text} becomes
 * an attribute of the item (empty values are left out). When it has a {@code target_text} column, each
 * row's text must equal the list's, so that a manifest out of step with its list is caught. Items the
 * manifest does not name get no attributes.
 *
 * <p>Found beside the list as {@code STEM.items.tsv}, or {@code items.tsv} for a {@code meta.lst} (the
 * micro-world test set ships {@code testset/items.tsv} beside {@code testset/meta.lst}).
 */
final class ItemManifest {
    static final String ID = "utt";
    static final String TARGET_TEXT = "target_text";

    private ItemManifest() {}

    /** The manifest beside {@code list}, or null when there is none. */
    static Path besides(Path list) {
        String file = list.getFileName().toString();
        String stem = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
        Path own = list.resolveSibling(stem + ".items.tsv");
        if (Files.isRegularFile(own)) return own;
        Path shared = list.resolveSibling("items.tsv");
        return stem.equals("meta") && Files.isRegularFile(shared) ? shared : null;
    }

    /**
     * {@code items} with the attributes {@code manifest} gives them. Every problem (no {@code utt}
     * column, a row with the wrong number of fields, a duplicate or unknown id, a target text that
     * differs from the list's) is reported together in one {@link BenchmarkException} naming the file.
     */
    static List<BenchmarkItem> apply(Path manifest, List<BenchmarkItem> items) {
        List<String> lines = ListLines.read(manifest);
        List<String> problems = new ArrayList<>();
        int headerAt = 0;
        while (headerAt < lines.size() && lines.get(headerAt).isBlank()) headerAt++;
        if (headerAt == lines.size()) {
            throw new BenchmarkException(manifest, List.of("empty manifest (expected a header line naming the columns)"));
        }
        String[] columns = lines.get(headerAt).split("\t", -1);
        for (int c = 0; c < columns.length; c++) columns[c] = columns[c].strip();
        int idColumn = List.of(columns).indexOf(ID);
        if (idColumn < 0) {
            throw new BenchmarkException(manifest, List.of("line " + (headerAt + 1) + ": the header names no '" + ID
                    + "' column (tab-separated column names, e.g. utt, speaker, style, emotion)"));
        }
        for (int c = 0; c < columns.length; c++) {
            if (columns[c].isEmpty()) problems.add("line " + (headerAt + 1) + ": column " + (c + 1) + " has no name");
            else if (List.of(columns).indexOf(columns[c]) != c) {
                problems.add("line " + (headerAt + 1) + ": column '" + columns[c] + "' named twice");
            }
        }
        Map<String, BenchmarkItem> byId = new LinkedHashMap<>();
        for (BenchmarkItem item : items) byId.put(item.id(), item);
        Map<String, Map<String, String>> attributes = new HashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = headerAt + 1; i < lines.size(); i++) {
            int lineNo = i + 1;
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split("\t", -1);
            if (f.length != columns.length) {
                problems.add("line " + lineNo + ": expected " + columns.length + " tab-separated fields (as the header), found "
                        + f.length);
                continue;
            }
            String id = f[idColumn].strip();
            BenchmarkItem item = byId.get(id);
            Integer previous = firstLine.putIfAbsent(id, lineNo);
            if (previous != null) {
                problems.add("line " + lineNo + ": duplicate utterance id '" + id + "' (first on line " + previous + ")");
                continue;
            }
            if (item == null) {
                problems.add("line " + lineNo + ": utterance '" + id + "' is not in the list");
                continue;
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int c = 0; c < columns.length; c++) {
                String value = f[c].strip();
                if (c == idColumn || value.isEmpty()) continue;
                if (columns[c].equals(TARGET_TEXT)) {
                    if (!value.equals(item.targetText())) {
                        problems.add("line " + lineNo + ": target_text of '" + id + "' differs from the list's ('"
                                + value + "' vs '" + item.targetText() + "')");
                    }
                    continue;
                }
                m.put(columns[c], value);
            }
            attributes.put(id, m);
        }
        if (!problems.isEmpty()) throw new BenchmarkException(manifest, problems);
        List<BenchmarkItem> out = new ArrayList<>(items.size());
        for (BenchmarkItem item : items) {
            Map<String, String> m = attributes.get(item.id());
            out.add(m == null ? item : item.withAttributes(m));
        }
        return out;
    }
}
