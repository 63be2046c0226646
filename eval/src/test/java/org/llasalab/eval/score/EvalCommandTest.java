package org.llasalab.eval.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.cli.Main;
import org.llasalab.eval.audio.EvalAudio;
import org.llasalab.eval.bench.Benchmark;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.bench.Benchmarks;
import org.llasalab.eval.stats.Bootstrap;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;
import picocli.CommandLine;

/** {@code llasa eval} end to end: the numbers it writes are the ones the verifiers compute directly. */
class EvalCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run eval(String... args) {
        CommandLine cli = Main.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        java.io.StringWriter out = new java.io.StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        List<String> all = new ArrayList<>(List.of("eval"));
        all.addAll(List.of(args));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** Minimal RFC 4180 reader for the test: rows of fields. */
    static List<List<String>> readCsv(Path file) throws IOException {
        String s = Files.readString(file);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') { f.append('"'); i++; }
                else if (c == '"') quoted = false;
                else f.append(c);
            } else if (c == '"') quoted = true;
            else if (c == ',') { row.add(f.toString()); f.setLength(0); }
            else if (c == '\r') { }
            else if (c == '\n') { row.add(f.toString()); f.setLength(0); rows.add(row); row = new ArrayList<>(); }
            else f.append(c);
        }
        return rows;
    }

    @Test
    void writesTheNumbersTheVerifiersComputeDirectly() throws Exception {
        EvalFixture fx = new EvalFixture(dir, 7);
        Path out = dir.resolve("report");
        Path speakerModel = Path.of(getClass().getResource("/onnx/speaker_raw.onnx").toURI());
        Run run = eval("--benchmark", fx.list.toString(), "--audio-dir", fx.outputs.toString(),
                "--verifiers", "act=active-speech,loud=active-speech,sim", "--verifier-param", "loud.threshold_db=-12",
                "--verifier-param", "sim.model=" + speakerModel, "--out", out.toString(), "--batch-size", "3");
        assertEquals(0, run.code(), run.err());

        // The same verifiers, called directly on the same audio read as 16 kHz mono.
        Benchmark bench = Benchmarks.open(fx.list.toString());
        Map<String, double[]> direct = new HashMap<>();
        Map<String, Verifier> verifiers = Map.of(
                "act", Verifiers.create("active-speech", Map.of(), dir),
                "loud", Verifiers.create("active-speech", Map.of("threshold_db", -12), dir),
                "sim", Verifiers.create("sim", Map.of("model", speakerModel.toString()), dir));
        for (Map.Entry<String, Verifier> v : verifiers.entrySet()) {
            List<Candidate> batch = new ArrayList<>();
            for (BenchmarkItem item : bench.items()) {
                batch.add(new Candidate(EvalAudio.load16k(fx.outputs.resolve(item.id() + ".wav")), item.targetText(),
                        EvalAudio.load16k(item.promptWav()), item.promptText(), null));
            }
            direct.put(v.getKey(), v.getValue().score(batch).stream().mapToDouble(Score::value).toArray());
            v.getValue().close();
        }
        assertTrue(direct.get("act")[0] > direct.get("loud")[0] || direct.get("loud")[0] == 0, "the two columns differ");

        List<List<String>> rows = readCsv(out.resolve("utterances.csv"));
        List<String> header = rows.getFirst();
        assertEquals(List.of("rank", "utt", "status", "audio", "seconds", "target_text", "prompt_text", "act", "loud", "sim"), header);
        assertEquals(8, rows.size());
        double previous = -1;
        for (List<String> row : rows.subList(1, rows.size())) {
            int index = fx.ids.indexOf(row.get(1));
            assertEquals("scored", row.get(2));
            assertEquals("../out puts/" + row.get(1) + ".wav", row.get(3));
            assertEquals(1.0, Double.parseDouble(row.get(4)), 1e-3, "one second at 16 kHz whatever the input rate");
            assertEquals(bench.items().get(index).targetText(), row.get(5));
            assertEquals(direct.get("act")[index], Double.parseDouble(row.get(7)), 0.0, row.get(1));
            assertEquals(direct.get("loud")[index], Double.parseDouble(row.get(8)), 0.0, row.get(1));
            // ONNX Runtime's multi-threaded reductions may differ in the last float bits between calls.
            assertEquals(direct.get("sim")[index], Double.parseDouble(row.get(9)), 1e-6, row.get(1));
            assertTrue(Double.parseDouble(row.get(7)) >= previous, "worst (least active) first");
            previous = Double.parseDouble(row.get(7));
        }

        List<List<String>> agg = readCsv(out.resolve("aggregate.csv"));
        assertEquals(List.of("metric", "statistic", "value", "ci95_low", "ci95_high", "n"), agg.getFirst());
        Map<String, List<String>> byKey = new HashMap<>();
        for (List<String> r : agg.subList(1, agg.size())) byKey.put(r.get(0) + "/" + r.get(1), r);
        assertTrue(java.util.Arrays.stream(direct.get("sim")).distinct().count() > 1, "sim varies over utterances");
        for (String col : List.of("act", "loud", "sim")) {
            Bootstrap.Interval mean = Bootstrap.meanInterval(direct.get(col), 0.95, 2000, 12345L);
            List<String> m = byKey.get(col + "/mean");
            assertEquals(mean.mean(), Double.parseDouble(m.get(2)), 1e-6);
            assertEquals(mean.low(), Double.parseDouble(m.get(3)), 1e-6);
            assertEquals(mean.high(), Double.parseDouble(m.get(4)), 1e-6);
            assertEquals("7", m.get(5));
            Bootstrap.Interval var = Bootstrap.varianceInterval(direct.get(col), 0.95, 2000, 12345L);
            assertEquals(var.mean(), Double.parseDouble(byKey.get(col + "/variance").get(2)), 1e-6);
            assertTrue(var.low() <= var.mean() && var.mean() <= var.high());
        }
        assertEquals("0", byKey.get("*/missing").get(2));
        assertEquals("7", byKey.get("*/scored").get(2));
        String html = Files.readString(out.resolve("report.html"));
        assertEquals(7, html.split("<tr class=\"utterance\"", -1).length - 1);
        assertTrue(html.contains("src=\"../out%20puts/utt-00.wav\""), "relative, encoded audio path");
        assertTrue(run.out().contains("act"), run.out());
    }

    @Test
    void reportsEveryMissingOutputBeforeWorkUnlessAllowed() throws IOException {
        EvalFixture fx = new EvalFixture(dir, 5);
        Files.delete(fx.outputs.resolve("utt-01.wav"));
        Files.delete(fx.outputs.resolve("utt-03.wav"));
        Path out = dir.resolve("report");
        Run refused = eval("--benchmark", fx.list.toString(), "--audio-dir", fx.outputs.toString(),
                "--verifiers", "active-speech", "--out", out.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().startsWith("llasa: "), refused.err());
        assertTrue(refused.err().contains("utt-01.wav") && refused.err().contains("utt-03.wav"), refused.err());
        assertTrue(refused.err().contains("--allow-missing"), refused.err());
        assertTrue(!Files.exists(out.resolve("utterances.csv")), "nothing written before the check passes");

        Run allowed = eval("--benchmark", fx.list.toString(), "--audio-dir", fx.outputs.toString(),
                "--verifiers", "active-speech", "--out", out.toString(), "--allow-missing", "--limit", "4");
        assertEquals(0, allowed.code(), allowed.err());
        List<List<String>> rows = readCsv(out.resolve("utterances.csv"));
        assertEquals(5, rows.size(), "4 items (limit): 2 scored + 2 missing");
        assertEquals(List.of("utt-01", "missing"), rows.get(3).subList(1, 3));
        assertEquals(List.of("utt-03", "missing"), rows.get(4).subList(1, 3));
        Map<String, String> counts = new HashMap<>();
        for (List<String> r : readCsv(out.resolve("aggregate.csv"))) if (r.get(0).equals("*")) counts.put(r.get(1), r.get(2));
        assertEquals(Map.of("items", "4", "scored", "2", "missing", "2"), counts);
        assertTrue(Files.readString(out.resolve("report.html")).contains("Missing outputs (2)"));
        assertTrue(allowed.out().contains("missing: utt-01"), allowed.out());
    }

    @Test
    void badVerifierSettingsAreClearErrors() throws IOException {
        EvalFixture fx = new EvalFixture(dir, 2);
        Run unknown = eval("--benchmark", fx.list.toString(), "--audio-dir", fx.outputs.toString(), "--verifiers", "no-such-type");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown verifier type 'no-such-type'") && unknown.err().contains("active-speech"), unknown.err());
        Run wrongName = eval("--benchmark", fx.list.toString(), "--audio-dir", fx.outputs.toString(), "--verifiers", "a=active-speech",
                "--verifier-param", "b.threshold_db=3");
        assertEquals(1, wrongName.code());
        assertTrue(wrongName.err().contains("names verifier 'b'"), wrongName.err());
        Run badValue = eval("--benchmark", fx.list.toString(), "--audio-dir", fx.outputs.toString(), "--verifiers", "a=active-speech",
                "--verifier-param", "a.threshold_db=loud");
        assertEquals(1, badValue.code());
        assertTrue(badValue.err().contains("threshold_db"), badValue.err());
    }

    @Test
    void resumeReusesJournalledScoresOnlyWhileOutputsAndSettingsAreUnchanged() throws IOException {
        EvalFixture fx = new EvalFixture(dir, 4);
        Path out = dir.resolve("report");
        String[] base = {"--benchmark", fx.list.toString(), "--audio-dir", fx.outputs.toString(), "--verifiers", "act=active-speech",
                "--out", out.toString(), "--batch-size", "2"};
        assertEquals(0, eval(base).code());
        Map<String, String> fresh = column(out, "act");
        Path journal = out.resolve("scores.jsonl");
        assertEquals(4, Files.readAllLines(journal).size());

        // Mark the journalled score of utt-00 (so reuse is visible), change utt-01's audio, tear the last line.
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.replaceAll(l -> l.contains("\"utt\":\"utt-00\"") ? l.replaceFirst("\"value\":[0-9.Ee-]+", "\"value\":0.123") : l);
        String torn = lines.removeLast();
        Files.writeString(journal, String.join("\n", lines) + "\n" + torn.substring(0, torn.length() / 2));
        org.llasalab.dsp.Wav.write(fx.outputs.resolve("utt-01.wav"),
                new org.llasalab.dsp.Audio(EvalFixture.burst(16_000, 1.5, 1.0, 300), 16_000), false);

        List<String> resumeArgs = new ArrayList<>(List.of(base));
        resumeArgs.add("--resume");
        Run resumed = eval(resumeArgs.toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("reusing the journalled scores of 2 utterance(s)"), resumed.err());
        Map<String, String> after = column(out, "act");
        assertEquals("0.123", after.get("utt-00"), "unchanged output: journalled score reused");
        assertEquals("1.0", after.get("utt-01"), "changed output: rescored");
        assertEquals(fresh.get("utt-02"), after.get("utt-02"));
        assertEquals(fresh.get("utt-03"), after.get("utt-03"), "the torn line was rescored");

        // Other verifier settings do not reuse the journal; a run without --resume starts afresh.
        List<String> otherArgs = new ArrayList<>(resumeArgs);
        otherArgs.addAll(List.of("--verifier-param", "act.threshold_db=-41"));
        assertEquals(0, eval(otherArgs.toArray(String[]::new)).code());
        assertEquals(fresh.get("utt-00"), column(out, "act").get("utt-00"));
        assertEquals(0, eval(base).code());
        assertEquals(fresh.get("utt-00"), column(out, "act").get("utt-00"));
    }

    private static Map<String, String> column(Path out, String name) throws IOException {
        List<List<String>> rows = readCsv(out.resolve("utterances.csv"));
        int c = rows.getFirst().indexOf(name);
        Map<String, String> values = new HashMap<>();
        for (List<String> r : rows.subList(1, rows.size())) values.put(r.get(1), r.get(c));
        return values;
    }
}
