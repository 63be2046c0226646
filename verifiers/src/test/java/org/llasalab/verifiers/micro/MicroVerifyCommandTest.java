package org.llasalab.verifiers.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.llasalab.cli.Main;
import picocli.CommandLine;

/** {@code llasa verify --verifier micro-*} through the CLI on a shipped held-out clip. */
class MicroVerifyCommandTest {
    private static String[] run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    private static String clip(String name) throws Exception {
        return Path.of(MicroVerifyCommandTest.class.getResource("/micro/" + name).toURI()).toString();
    }

    @Test
    void asrSpeakerAndEmotionByTypeName() throws Exception {
        String wav = clip("sc_f1_mw001117.wav");
        String[] r = run("verify", "--verifier", "micro-asr", "--text", "sunday is the name of the first day of the week", "--json", wav);
        assertEquals("0", r[0], r[2]);
        JsonNode asr = new ObjectMapper().readTree(r[1].lines().findFirst().orElseThrow());
        assertEquals("wer", asr.get("metric").asText());
        assertTrue(asr.get("score").asDouble() <= 0.3, r[1]);

        r = run("verify", "--verifier", "micro-speaker", "--prompt-wav", wav, "--json", wav);
        assertEquals("0", r[0], r[2]);
        assertEquals(1.0, new ObjectMapper().readTree(r[1].lines().findFirst().orElseThrow()).get("score").asDouble(), 1e-6);

        r = run("verify", "--verifier", "micro-emotion", "--emotion", "neutral", "--json", wav);
        assertEquals("0", r[0], r[2]);
        double p = new ObjectMapper().readTree(r[1].lines().findFirst().orElseThrow()).get("score").asDouble();
        assertTrue(p > 0.5 && p <= 1, r[1]);
    }

    @Test
    void missingModelFolderIsAClearError() throws Exception {
        String[] r = run("verify", "--verifier", "micro-speaker", "--param", "model=no-such-folder", "--prompt-wav",
                clip("sc_f1_mw001117.wav"), clip("sc_f1_mw001117.wav"));
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("micro-speaker") && r[2].contains("no-such-folder"), r[2]);
    }
}
