package org.llasalab.cli.lm;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.llasalab.cli.Main;
import picocli.CommandLine;

/** The logits, generate and bench lm commands through the real CLI entry point. */
class LmCommandsTest {
    private static final Path MODEL;

    static {
        try {
            MODEL = Path.of(LmCommandsTest.class.getResource("/golden/llama/tiny-llama3/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(err));
            for (CommandLine sub : cli.getSubcommands().values()) sub.setErr(new PrintWriter(err));
            int code = cli.execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void logitsPrintsEveryPosition() throws Exception {
        Run r = run("logits", "--model", MODEL.toString(), "--ids", "1,15,200", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        JsonNode logits = new ObjectMapper().readTree(r.out()).get("logits");
        assertEquals(3, logits.size());
        assertEquals(512, logits.get(0).size());
        assertEquals(3.5427012, logits.get(0).get(0).asDouble(), 1e-4, "golden logit of id 1 at position 0");
    }

    @Test
    void greedyGenerateMatchesTheReference() throws Exception {
        Run r = run("generate", "--model", MODEL.toString(), "--input-ids", "1,15,200,37,499,3,77,128,256,5,42,300",
                "--greedy", "--max-new-tokens", "10");
        assertEquals(0, r.code(), r.err());
        JsonNode ids = new ObjectMapper().readTree(r.out()).get("ids");
        assertEquals("[282,9,263,28,3,187,141,202,255,255]", ids.toString());
    }

    @Test
    void sampledGenerateIsReproducibleAndGivesNCandidates() throws Exception {
        String[] args = {"generate", "--model", MODEL.toString(), "--input-ids", "1,15,200", "--n", "3", "--seed", "9",
                "--temperature", "0.9", "--top-p", "0.95", "--max-new-tokens", "5"};
        Run a = run(args), b = run(args);
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
        JsonNode ids = new ObjectMapper().readTree(a.out()).get("ids");
        assertEquals(3, ids.size());
        for (JsonNode c : ids) assertTrue(c.size() >= 1 && c.size() <= 5);
    }

    @Test
    void badInputGivesAClearMessage() {
        Run r = run("logits", "--model", MODEL.toString(), "--ids", "1,9999");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("9999") && r.err().contains("vocabulary"), r.err());
        r = run("generate", "--model", MODEL.resolve("nope").toString(), "--input-ids", "1");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("nope"), r.err());
    }

    @Test
    void benchLmOnTheTinyShapeReportsEveryField() throws Exception {
        Run q8 = run("bench", "lm", "--shape", "tiny", "--batch", "1", "--tokens", "1", "--prompt", "2",
                "--bandwidth-mib", "16", "--threads", "1", "--rounds", "1", "--dtype", "q8", "--json");
        assertEquals(0, q8.code(), q8.err());
        assertEquals("q8", new ObjectMapper().readTree(q8.out().strip()).get("dtype").asText());
        Run r = run("bench", "lm", "--shape", "tiny", "--batch", "1,2", "--tokens", "2", "--prompt", "4",
                "--bandwidth-mib", "16", "--threads", "2", "--rounds", "1", "--json");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length);
        for (int i = 0; i < 2; i++) {
            JsonNode o = new ObjectMapper().readTree(lines[i]);
            assertEquals(i + 1, o.get("batch").asInt());
            for (String f : new String[] {"tokens_per_s", "weight_gb_per_s", "bandwidth_fraction", "gflops",
                    "matmul_peak_gflops", "gemm_fraction", "fma_rate_gflops", "vector_bits"}) {
                assertTrue(o.get(f).asDouble() > 0, f + " in " + lines[i]);
            }
            assertTrue(o.get("cpu").asText().contains("-bit vectors"), lines[i]);
            double sampling = o.get("sampling_fraction").asDouble();
            assertTrue(sampling > 0 && sampling < 1, "sampling_fraction in " + lines[i]);
            double attention = o.get("attention_fraction").asDouble();
            assertTrue(attention > 0 && attention + sampling < 1, "attention_fraction in " + lines[i]);
            double matrices = o.get("matrix_fraction").asDouble();
            assertTrue(matrices > 0 && matrices + attention + sampling < 1, "matrix_fraction in " + lines[i]);
            // the weights stream faster while the matrices run than over the whole step, by exactly their share (one round)
            assertEquals(o.get("weight_gb_per_s").asDouble() / matrices, o.get("matrix_weight_gb_per_s").asDouble(),
                    1e-9 * o.get("matrix_weight_gb_per_s").asDouble(), lines[i]);
        }
    }

    @Test
    void benchMatmulMeasuresOneKernelOnACacheAndAMemoryMatrix() throws Exception {
        Run r = run("bench", "matmul", "--dtype", "q8", "--cols", "96", "--batch", "1,5", "--memory-mib", "2", "--threads", "2",
                "--bandwidth-mib", "16", "--warmup-ms", "200");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("FMA rate"), out);
        long rows = out.lines().filter(l -> l.startsWith("cache ") || l.startsWith("memory ")).count();
        assertEquals(4, rows, out);
        for (String l : out.lines().filter(l -> l.startsWith("memory ")).toList()) {
            assertTrue(Double.parseDouble(l.trim().split("\\s+")[3]) > 0, l);
        }
        Run bad = run("bench", "matmul", "--dtype", "q4");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("q4"), bad.err());
    }
}
