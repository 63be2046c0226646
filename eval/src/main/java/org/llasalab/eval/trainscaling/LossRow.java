package org.llasalab.eval.trainscaling;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * One row of a trainer's {@code loss.csv}; NaN where empty ({@code speechTokens} -1 when the file has no
 * such column or the field is empty).
 */
public record LossRow(long step, long tokens, long speechTokens, double flops, double trainLoss, double heldoutLoss,
        double seconds) {

    /** The columns a loss.csv must have; {@code train_loss} and {@code speech_tokens} are optional. */
    static final List<String> REQUIRED = List.of("step", "tokens", "flops", "heldout_loss", "seconds");

    /**
     * Reads a trainer's loss.csv (header {@code step,tokens,flops,train_loss,heldout_loss,seconds}, an
     * optional {@code speech_tokens} column, empty where unknown; empty held-out loss on rows without an
     * evaluation). Rows in step order; a step written twice (a resumed run repeats the steps after its
     * checkpoint) keeps the last row. Malformed lines fail naming the file and line.
     */
    public static List<LossRow> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) throw new IOException(file + ":1: empty loss.csv (expected the header "
                + String.join(",", REQUIRED) + ")");
        List<String> header = Arrays.stream(lines.getFirst().split(",", -1)).map(String::strip).toList();
        for (String c : REQUIRED) {
            if (!header.contains(c)) {
                throw new IOException(file + ":1: loss.csv has no column '" + c + "' (header: " + lines.getFirst() + ")");
            }
        }
        TreeMap<Long, LossRow> rows = new TreeMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            if (f.length != header.size()) {
                throw new IOException(file + ":" + (i + 1) + ": " + f.length + " fields, the header has " + header.size());
            }
            try {
                LossRow row = new LossRow((long) field(f, header, "step"), (long) field(f, header, "tokens"),
                        header.contains("speech_tokens") ? (long) field(f, header, "speech_tokens", -1.0) : -1,
                        field(f, header, "flops"), header.contains("train_loss")
                                ? field(f, header, "train_loss") : Double.NaN,
                        field(f, header, "heldout_loss"), field(f, header, "seconds"));
                rows.put(row.step(), row);
            } catch (NumberFormatException ex) {
                throw new IOException(file + ":" + (i + 1) + ": " + ex.getMessage());
            }
        }
        return List.copyOf(rows.values());
    }

    /** A column's number; the losses may be empty (NaN), the other columns may not. */
    private static double field(String[] f, List<String> header, String column) {
        return field(f, header, column, column.equals("heldout_loss") || column.equals("train_loss") ? Double.NaN : null);
    }

    /** The column's number, or {@code ifEmpty} for an empty field (null: an empty field is an error). */
    private static double field(String[] f, List<String> header, String column, Double ifEmpty) {
        String s = f[header.indexOf(column)].strip();
        if (s.isEmpty()) {
            if (ifEmpty != null) return ifEmpty;
            throw new NumberFormatException("column '" + column + "' is empty");
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException ex) {
            throw new NumberFormatException("column '" + column + "': '" + s + "' is not a number");
        }
    }
}
