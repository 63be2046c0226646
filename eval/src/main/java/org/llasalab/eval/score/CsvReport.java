package org.llasalab.eval.score;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llasalab.io.AtomicFiles;
import org.llasalab.eval.io.Csv;

/**
 * The CSV outputs of an evaluation.
 * <ul>
 *   <li>{@code utterances.csv}: one row per item, worst first (by the first verifier), then the
 *       missing ones: {@code rank, utt, status (scored|missing), audio, seconds, target_text,
 *       prompt_text}, one column per metric (and derived variant), one {@code <metric>_transcript}
 *       per ASR verifier.</li>
 *   <li>{@code aggregate.csv}: {@code metric, statistic, value, ci95_low, ci95_high, n}; the
 *       statistics are {@code mean}, {@code variance}, and for ASR verifiers {@code corpus} and
 *       the rescored variants; plus {@code items}, {@code scored}, {@code missing} counts
 *       (metric {@code *}).</li>
 * </ul>
 */
public final class CsvReport {
    private CsvReport() {}

    public static void write(ScoreTable table, Path outDir) throws IOException {
        AtomicFiles.write(outDir.resolve("utterances.csv"), utterances(table, outDir));
        AtomicFiles.write(outDir.resolve("aggregate.csv"), aggregates(table));
    }

    static String utterances(ScoreTable table, Path outDir) {
        Csv csv = new Csv();
        List<Object> header = new ArrayList<>(List.of("rank", "utt", "status", "audio", "seconds", "target_text", "prompt_text"));
        header.addAll(table.numbers().keySet());
        table.transcripts().keySet().forEach(k -> header.add(k + "_transcript"));
        csv.row(header);
        int rank = 1;
        for (int i : table.worstFirst()) {
            ScoredItem r = table.scored().get(i);
            List<Object> row = new ArrayList<>(List.of(rank++, r.item().id(), "scored", relative(outDir, r.audio()),
                    r.seconds(), r.item().targetText(), r.item().promptText()));
            for (double[] v : table.numbers().values()) row.add(v[i]);
            for (String[] t : table.transcripts().values()) row.add(t[i]);
            csv.row(row);
        }
        for (ScoredItem r : table.missing()) {
            List<Object> row = new ArrayList<>(List.of("", r.item().id(), "missing", relative(outDir, r.audio()), "",
                    r.item().targetText(), r.item().promptText()));
            for (int k = 0; k < table.numbers().size() + table.transcripts().size(); k++) row.add("");
            csv.row(row);
        }
        return csv.toString();
    }

    static String aggregates(ScoreTable table) {
        Csv csv = new Csv().row("metric", "statistic", "value", "ci95_low", "ci95_high", "n");
        for (Aggregate a : table.aggregates()) {
            csv.row(a.column(), a.statistic(), a.interval().mean(), a.interval().low(), a.interval().high(), a.interval().n());
        }
        int items = table.rows().size();
        int missing = table.missing().size();
        for (Map.Entry<String, Integer> e : Map.of("items", items, "scored", items - missing, "missing", missing)
                .entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            csv.row("*", e.getKey(), e.getValue(), "", "", "");
        }
        return csv.toString();
    }

    /** {@code file} relative to {@code dir}, with '/' separators (absolute when on another root). */
    public static String relative(Path dir, Path file) {
        Path a = dir.toAbsolutePath().normalize();
        Path b = file.toAbsolutePath().normalize();
        try {
            return a.relativize(b).toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return b.toString();
        }
    }
}
