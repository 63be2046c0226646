package org.llasalab.train;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.llasalab.io.AtomicFiles;

/**
 * What a training run writes as it goes, in its output folder: {@code train.log} (every line also on the
 * console) and the loss curve {@code loss.csv} ({@value #CSV_HEADER}; an empty held-out loss on rows without
 * an evaluation). Closing it closes the log file, not the console.
 */
public final class TrainingLog implements AutoCloseable {
    public static final String CSV_HEADER = "step,tokens,flops,train_loss,heldout_loss,seconds,speech_tokens";

    private final Path csv;
    private final PrintStream log;

    /** Opens {@code train.log} of {@code outDir} for appending. */
    TrainingLog(Path outDir) throws IOException {
        this.csv = outDir.resolve("loss.csv");
        OutputStream file = Files.newOutputStream(outDir.resolve("train.log"), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        PrintStream console = System.out;
        this.log = new PrintStream(new OutputStream() { // every line goes to the file (flushed) and the console
            @Override
            public void write(int b) throws IOException {
                file.write(b);
                console.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                file.write(b, off, len);
                console.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                file.flush();
                console.flush();
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** One line of {@code train.log}, formatted with {@link PrintStream#printf}. */
    void printf(String format, Object... args) {
        log.printf(format, args);
    }

    void printf(Locale locale, String format, Object... args) {
        log.printf(locale, format, args);
    }

    void println(String line) {
        log.println(line);
    }

    /** Starts an empty loss curve (a fresh run). */
    void startCurve() throws IOException {
        Files.writeString(csv, CSV_HEADER + "\n", StandardCharsets.UTF_8);
    }

    /** Appends a row of the loss curve; a NaN held-out loss is left empty. */
    void appendCurve(TrainingSummary s, double trainLoss, double heldoutLoss) throws IOException {
        String row = String.format(Locale.ROOT, "%d,%d,%.6e,%.6f,%s,%.2f,%d%n", s.updates(), s.tokens(), s.flops(),
                trainLoss, Double.isNaN(heldoutLoss) ? "" : String.format(Locale.ROOT, "%.6f", heldoutLoss),
                s.seconds(), s.speechTokens());
        Files.writeString(csv, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Drops the rows after update {@code lastStep} (a resumed run repeats them), atomically. Rows of an older
     * trainer lack the trailing speech_tokens column: it is left empty (unknown).
     */
    void truncateCurveAfter(long lastStep) throws IOException {
        List<String> kept = new ArrayList<>();
        kept.add(CSV_HEADER);
        if (Files.exists(csv)) {
            int columns = CSV_HEADER.split(",").length;
            for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("step")) continue;
                if (Long.parseLong(line.substring(0, line.indexOf(','))) > lastStep) continue;
                kept.add(line + ",".repeat(Math.max(0, columns - line.split(",", -1).length)));
            }
        }
        AtomicFiles.write(csv, String.join("\n", kept) + "\n");
    }

    @Override
    public void close() {
        log.close();
    }

    /** Resident memory of the process and native bytes held by ND4J buffers (JavaCPP's count). */
    static String memory() {
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave unknown
        }
        return String.format("rss %s native %s", rss < 0 ? "?" : mb(rss), mb(org.bytedeco.javacpp.Pointer.totalBytes()));
    }

    private static String mb(long bytes) {
        return String.format("%.0fM", bytes / 1048576.0);
    }

    /** Wall time in short: "4m05s", "1h42m". */
    static String duration(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format("%dh%02dm", t / 3600, t / 60 % 60) : String.format("%dm%02ds", t / 60, t % 60);
    }
}
