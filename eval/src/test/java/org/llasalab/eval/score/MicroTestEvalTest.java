package org.llasalab.eval.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
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

/**
 * {@code llasa eval} on the shipped micro-world test set with the shipped micro verifiers: the tables
 * hold exactly the numbers the verifiers compute when called directly on the same audio.
 */
class MicroTestEvalTest {
    static final int ITEMS = 8;

    @TempDir
    Path dir;

    @Test
    void evalOnTheMicroTestSetEqualsTheVerifiersCalledDirectly() throws Exception {
        Benchmark bench = Benchmarks.open(Benchmarks.MICRO_TEST).limit(ITEMS);
        List<BenchmarkItem> items = bench.items();
        assertEquals(ITEMS, items.size());
        // Each item's "system output" is real micro-world speech: the prompt recording of the next item
        // (another speaker, style and sentence), so the scores vary from item to item.
        Path outputs = Files.createDirectories(dir.resolve("outputs"));
        for (int i = 0; i < items.size(); i++) {
            Files.copy(items.get((i + 1) % items.size()).promptWav(), outputs.resolve(items.get(i).id() + ".wav"));
        }
        Path out = dir.resolve("report");
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute("eval", "--benchmark", "micro-test", "--limit", String.valueOf(ITEMS),
                "--audio-dir", outputs.toString(), "--verifiers", "wer=micro-asr,sim=micro-speaker,emotion=micro-emotion",
                "--out", out.toString(), "--batch-size", "3");
        assertEquals(0, code, err.toString());

        Map<String, Verifier> verifiers = Map.of(
                "wer", Verifiers.create("micro-asr", Map.of(), dir),
                "sim", Verifiers.create("micro-speaker", Map.of(), dir),
                "emotion", Verifiers.create("micro-emotion", Map.of(), dir));
        Map<String, double[]> direct = new HashMap<>();
        for (Map.Entry<String, Verifier> v : verifiers.entrySet()) {
            List<Candidate> batch = new ArrayList<>();
            for (BenchmarkItem item : items) {
                batch.add(new Candidate(EvalAudio.load16k(outputs.resolve(item.id() + ".wav")), item.targetText(),
                        EvalAudio.load16k(item.promptWav()), item.promptText(), item.emotion()));
            }
            direct.put(v.getKey(), v.getValue().score(batch).stream().mapToDouble(Score::value).toArray());
            v.getValue().close();
        }

        List<List<String>> rows = EvalCommandTest.readCsv(out.resolve("utterances.csv"));
        List<String> header = rows.getFirst();
        assertEquals(ITEMS + 1, rows.size());
        List<String> ids = items.stream().map(BenchmarkItem::id).toList();
        for (List<String> row : rows.subList(1, rows.size())) {
            int index = ids.indexOf(row.get(header.indexOf("utt")));
            assertTrue(index >= 0, "an item of the benchmark: " + row);
            for (String metric : List.of("wer", "sim", "emotion")) {
                assertEquals(direct.get(metric)[index], Double.parseDouble(row.get(header.indexOf(metric))), 1e-9,
                        metric + " of " + ids.get(index));
            }
        }
        for (String metric : List.of("wer", "sim", "emotion")) {
            assertTrue(java.util.Arrays.stream(direct.get(metric)).distinct().count() > 1, metric + " varies over items");
        }

        Map<String, List<String>> aggregate = new HashMap<>();
        for (List<String> r : EvalCommandTest.readCsv(out.resolve("aggregate.csv"))) aggregate.put(r.get(0) + "/" + r.get(1), r);
        for (String metric : List.of("wer", "sim", "emotion")) {
            Bootstrap.Interval mean = Bootstrap.meanInterval(direct.get(metric), 0.95, 2000, 12345L);
            List<String> m = aggregate.get(metric + "/mean");
            assertEquals(mean.mean(), Double.parseDouble(m.get(2)), 1e-9, metric + " mean");
            assertEquals(mean.low(), Double.parseDouble(m.get(3)), 1e-9, metric + " ci low");
            assertEquals(mean.high(), Double.parseDouble(m.get(4)), 1e-9, metric + " ci high");
        }
    }
}
