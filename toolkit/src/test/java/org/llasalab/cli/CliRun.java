package org.llasalab.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One {@code llasa} command run in this JVM, as the launcher would run it: its exit code, everything it
 * printed (picocli's writer and {@code System.out}, where the commands print their results) and its
 * error output. {@code System.out} is swapped for the run, so runs are serialised.
 */
public record CliRun(int code, String out, String err) {
    public static synchronized CliRun of(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter picocliOut = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(picocliOut, true));
        cli.setErr(new PrintWriter(err, true));
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            int code = cli.execute(args);
            return new CliRun(code, picocliOut + printed.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(console);
        }
    }
}
