package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.llasalab.cli.Main;
import picocli.CommandLine;

class SearchStrategiesCommandTest {
    @Test
    void listsEveryStrategyWithItsKeys() {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("search", "strategies"));
        for (String type : SearchStrategies.types()) assertTrue(out.toString().contains(type + ": "), out.toString());
        assertTrue(out.toString().contains("keys: beam_width, chunk_text, chunk_tokens, expand, max_tokens, sampling"));
    }

    @Test
    void anUnknownTypeIsAnError() {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("search", "strategies", "nope"));
        assertTrue(err.toString().contains("llasa: unknown search strategy 'nope'"), err.toString());
    }
}
