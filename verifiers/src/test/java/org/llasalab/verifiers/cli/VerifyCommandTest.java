package org.llasalab.verifiers.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.cli.Main;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;
import picocli.CommandLine;

/** {@code llasa verify} end to end through the CLI's own command line (Main), on the tiny ONNX models. */
class VerifyCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Path onnx(String name) throws URISyntaxException {
        return Path.of(VerifyCommandTest.class.getResource("/onnx/" + name).toURI());
    }

    private static JsonNode expected() throws Exception {
        return new ObjectMapper().readTree(onnx("expected.json").toFile());
    }

    @Test
    void simJsonPerFile() throws Exception {
        Run r = run("verify", "--verifier", "sim", "--param", "model=" + onnx("speaker_raw.onnx"),
                "--prompt-wav", onnx("b.wav").toString(), "--json", onnx("a.wav").toString(), onnx("b.wav").toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        JsonNode a = new ObjectMapper().readTree(lines.get(0));
        assertEquals(onnx("a.wav").toString(), a.get("file").asText());
        assertEquals("sim", a.get("metric").asText());
        assertEquals(expected().get("raw").get("cosine").asDouble(), a.get("score").asDouble(), 1e-4);
        assertTrue(a.get("details").isObject());
        assertEquals(1.0, new ObjectMapper().readTree(lines.get(1)).get("score").asDouble(), 1e-6);
    }

    @Test
    void werWithTranscriptInDetailsAndPlainOutput(@TempDir Path dir) throws Exception {
        // The table ASR test double reads transcript number round(first sample); a 44.1 kHz file checks resampling.
        float[] x = new float[4410];
        Path wav = dir.resolve("one.wav");
        Wav.write(wav, new Audio(x, 44_100), true);
        Run json = run("verify", "--verifier", "wer", "--param", "asr=test-table", "--param", "transcripts=hello world",
                "--param", "normalizer=english", "--text", "Hello, world!", "--json", wav.toString());
        assertEquals(0, json.code(), json.err());
        JsonNode row = new ObjectMapper().readTree(json.out().strip());
        assertEquals(0.0, row.get("score").asDouble());
        assertEquals("hello world", row.get("details").get("transcript").asText());
        assertEquals(0, row.get("details").get("substitutions").asInt());
        Run plain = run("verify", "--verifier", "wer", "--param", "asr=test-table", "--param", "transcripts=hello there",
                "--text", "hello world", wav.toString());
        assertEquals(0, plain.code(), plain.err());
        assertEquals(wav + "\twer=0.5000\ttranscript=\"hello there\"", plain.out().strip());
    }

    @Test
    void namedCompositeFromVerifiersFile(@TempDir Path dir) throws Exception {
        Files.copy(onnx("speaker_raw.onnx"), dir.resolve("spk.onnx"));
        Path yaml = dir.resolve("verifiers.yaml");
        Files.writeString(yaml, """
                sim-o:
                  type: sim
                  model: spk.onnx
                both:
                  type: composite
                  mode: minimum
                  members:
                    - sim-o
                    - {name: wer, type: wer, asr: test-table, transcripts: [hello world]}
                """);
        Run r = run("verify", "--verifiers", yaml.toString(), "--verifier", "both", "--text", "hello world",
                "--prompt-wav", onnx("b.wav").toString(), "--json", onnx("a.wav").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode row = new ObjectMapper().readTree(r.out().strip());
        double sim = expected().get("raw").get("cosine").asDouble();
        // minimum of normalised sim ((cos + 1) / 2) and normalised wer (1 for a perfect transcript)
        assertEquals((sim + 1) / 2, row.get("score").asDouble(), 1e-4);
        assertEquals("hello world", row.get("details").get("wer").get("details").get("transcript").asText());
    }

    @Test
    void errorsAreClear(@TempDir Path dir) throws Exception {
        Run unknown = run("verify", "--verifier", "nonsense", onnx("a.wav").toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().startsWith("llasa: ") && unknown.err().contains("nonsense") && unknown.err().contains("sim"),
                unknown.err());
        Run missingWav = run("verify", "--verifier", "sim", "--param", "model=" + onnx("speaker_raw.onnx"),
                "--prompt-wav", onnx("b.wav").toString(), dir.resolve("nope.wav").toString());
        assertEquals(1, missingWav.code());
        assertTrue(missingWav.err().contains(dir.resolve("nope.wav").toString()), missingWav.err());
        Run missingModel = run("verify", "--verifier", "sim", "--param", "model=" + dir.resolve("x.onnx"),
                "--prompt-wav", onnx("b.wav").toString(), onnx("a.wav").toString());
        assertEquals(1, missingModel.code());
        assertTrue(missingModel.err().contains(dir.resolve("x.onnx").toString()), missingModel.err());
    }
}
