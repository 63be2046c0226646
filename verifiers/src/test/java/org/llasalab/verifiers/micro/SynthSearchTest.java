package org.llasalab.verifiers.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.cli.Main;
import org.llasalab.dsp.Wav;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;
import picocli.CommandLine;

/**
 * {@code llasa synth --strategy best_of_n --verifier micro-asr} on the shipped micro world: the pick of
 * N = 4 is never worse, by the guiding verifier, than N = 1 (candidate 0 is the same in both runs).
 */
class SynthSearchTest {
    static final String TEXT = "he finally got his big break";

    @TempDir
    Path dir;

    private Path synth(int n) {
        Path out = dir.resolve("bon" + n + ".wav");
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute("synth", "--model", "micro-s", "--codec", "micro", "--text", TEXT, "--seed", "5",
                "--strategy", "best_of_n", "--strategy-param", "n=" + n, "--verifier", "micro-asr", "--max-tokens", "300",
                "--out", out.toString());
        assertEquals(0, code, err.toString());
        return out;
    }

    @Test
    void bestOfFourIsNoWorseThanOneByItsVerifier() throws Exception {
        Path one = synth(1);
        Path four = synth(4);
        try (Verifier wer = Verifiers.create("micro-asr", Map.of(), dir)) {
            float[] a1 = Wav.read(one).samples();
            float[] a4 = Wav.read(four).samples();
            assertTrue(a1.length > 0 && a4.length > 0);
            var scores = wer.score(List.of(Candidate.of(a1, TEXT), Candidate.of(a4, TEXT)));
            assertTrue(scores.get(1).value() <= scores.get(0).value(), "WER " + scores.get(1) + " vs " + scores.get(0));
        }
    }
}
