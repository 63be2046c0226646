package org.llasalab.eval.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.results.ResultTables;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import org.llasalab.eval.results.UtteranceStore;
import org.llasalab.eval.run.ExperimentRunner;
import org.llasalab.eval.run.Progress;
import org.llasalab.eval.run.RunSummary;
import org.llasalab.eval.run.SearchCellExecutor;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.experiment.SweepExpander;
import org.llasalab.eval.experiment.TestSupport;
import org.llasalab.eval.experiment.TestVerifiers;

/**
 * The real executor end to end on tiny random-weight models: a Llasa-format Llama, an X-codec2 decoder,
 * the search branch's strategies and two cheap verifiers registered for tests.
 */
class SearchCellExecutorTest {
    @TempDir
    Path dir;

    @Test
    void runsSearchStrategiesOnARealModelAndCodec() throws Exception {
        Path fixture = fixture();
        String yaml = """
                name: tiny
                models:
                  tiny: {path: %s, codec: %s}
                dataset: {name: tiny-test}
                strategies:
                  sample: {type: sample, budgets: [1]}
                  bon: {type: best_of_n, budgets: [1, 3]}
                verifiers:
                  level: {type: test-level}
                  length: {type: test-length}
                search: {bon: level}
                evaluate: [level, length]
                sampling: {temperature: 1.0, max_tokens: 10}
                seeds: [3]
                output: {save_audio: all}
                """.formatted(fixture.resolve("model"), fixture.resolve("codec"));
        Experiment e = experiment(yaml);
        List<BenchmarkItem> items = List.of(new BenchmarkItem("a", null, null, "hello world", null),
                new BenchmarkItem("b", null, null, "hello", null));
        Path out = dir.resolve("out");
        RunSummary s;
        try (SearchCellExecutor executor = new SearchCellExecutor(e)) {
            s = new ExperimentRunner(executor, Progress.silent(), new SweepExpander(), spec -> items).run(e, out);
        }
        assertTrue(s.failures().isEmpty(), s.describe());
        assertEquals(3 * 2, s.utterancesRun());

        Table t = ResultTables.read(out.resolve("results.csv"));
        assertEquals(6, t.rowCount());
        for (Row r : t) {
            int budget = r.getInt("budget");
            assertEquals(budget, r.getDouble("candidates"), 0, "one candidate per unit of budget");
            assertTrue(r.getDouble("decode_tokens") >= budget, "decoded tokens are counted");
            assertTrue(r.getDouble("decode_tokens") <= budget * 10.0, "at most max_tokens each");
            assertTrue(r.getDouble("prefill_tokens") > 0);
            assertTrue(r.getDouble("length") > 0 && r.getDouble("length") <= 10 * 320 / 16000.0 + 1e-9);
        }
        // best-of-3 guided by level keeps the loudest of three candidates, the first of which is the
        // best-of-1 candidate (candidate streams depend only on the seed and the index)
        for (String item : List.of("a", "b")) {
            Table bon = t.where(t.stringColumn("strategy").isEqualTo("bon").and(t.stringColumn("utterance").isEqualTo(item)));
            double one = bon.where(bon.intColumn("budget").isEqualTo(1)).doubleColumn("level").get(0);
            double three = bon.where(bon.intColumn("budget").isEqualTo(3)).doubleColumn("level").get(0);
            assertTrue(three >= one, item + ": " + three + " < " + one);
        }
        Table metrics = ResultTables.read(out.resolve("metrics.csv"));
        assertEquals("higher", metrics.row(0).getString("direction"));
        assertEquals("lower", metrics.row(1).getString("direction"));
        try (var wavs = Files.walk(out.resolve("audio"))) {
            assertEquals(2 * (1 + 1 + 3), wavs.filter(p -> p.toString().endsWith(".wav")).count(), "save_audio: all");
        }

        // the finished cells alone, in a folder without metrics.csv: the executor opens the verifiers for
        // their directions (and runs nothing)
        Path copy = dir.resolve("copy");
        TestSupport.copyTree(out.resolve("cells"), copy.resolve("cells"));
        try (SearchCellExecutor executor = new SearchCellExecutor(e)) {
            RunSummary again = new ExperimentRunner(executor, Progress.silent(), new SweepExpander(), spec -> items).run(e, copy);
            assertEquals(0, again.utterancesRun());
        }
        assertEquals(Files.readString(out.resolve("metrics.csv")), Files.readString(copy.resolve("metrics.csv")));
    }

    /** The experiment's seeds reach the sampler: a sample cell of another seed speaks other audio. */
    @Test
    void theSeedOfACellChangesWhatItSamples() throws Exception {
        Path fixture = fixture();
        String yaml = """
                name: seeds
                models:
                  tiny: {path: %s, codec: %s}
                dataset: {name: tiny-test}
                strategies:
                  sample: {type: sample, budgets: [1]}
                verifiers:
                  length: {type: test-length}
                evaluate: [length]
                sampling: {temperature: 1.0, max_tokens: 10}
                seeds: [3, 4]
                output: {save_audio: all}
                """.formatted(fixture.resolve("model"), fixture.resolve("codec"));
        Experiment e = experiment(yaml);
        List<BenchmarkItem> items = List.of(new BenchmarkItem("a", null, null, "hello world", null),
                new BenchmarkItem("b", null, null, "hello", null), new BenchmarkItem("c", null, null, "world", null));
        Path out = dir.resolve("seeds");
        try (SearchCellExecutor executor = new SearchCellExecutor(e)) {
            RunSummary s = new ExperimentRunner(executor, Progress.silent(), new SweepExpander(), spec -> items).run(e, out);
            assertTrue(s.failures().isEmpty(), s.describe());
            assertEquals(2 * 3, s.utterancesRun());
        }
        Table t = ResultTables.read(out.resolve("results.csv"));
        assertEquals(6, t.rowCount());
        int same = 0;
        for (String item : List.of("a", "b", "c")) {
            Table rows = t.where(t.stringColumn("utterance").isEqualTo(item));
            java.util.Map<Long, byte[]> wav = new java.util.TreeMap<>();
            for (Row r : rows) {
                wav.put(r.getLong("seed"), Files.readAllBytes(out.resolve("audio").resolve(r.getString("cell")).resolve(item + ".wav")));
            }
            assertEquals(java.util.Set.of(3L, 4L), wav.keySet());
            if (java.util.Arrays.equals(wav.get(3L), wav.get(4L))) same++;
        }
        assertTrue(same < 3, "seeds 3 and 4 gave the same audio for every item");
    }

    /**
     * Budgets 1, 2 and 4 of best-of-N as one search give each cell exactly the result of its own
     * search (candidate i depends only on the seed and i), with honest ledgers, for less LM work.
     */
    @Test
    void aBudgetGroupGivesTheResultsOfSeparateRunsForLessLmWork() throws Exception {
        Path fixture = fixture();
        Experiment e = experiment("""
                name: tiny
                models:
                  tiny: {path: %s, codec: %s}
                dataset: {name: tiny-test}
                strategies:
                  bon: {type: best_of_n, budgets: [1, 2, 4]}
                verifiers:
                  level: {type: test-level}
                  length: {type: test-length}
                search: {bon: level}
                evaluate: [level, length]
                sampling: {temperature: 1.0, max_tokens: 12}
                seeds: [5]
                output: {save_audio: all}
                """.formatted(fixture.resolve("model"), fixture.resolve("codec")));
        List<BenchmarkItem> items = List.of(new BenchmarkItem("a", null, null, "hello world", null),
                new BenchmarkItem("b", null, null, "good morning to you", null));
        Path shared = dir.resolve("shared");
        Path separate = dir.resolve("separate");
        long[] sharedWork;
        long[] separateWork;
        try (SearchCellExecutor executor = new SearchCellExecutor(e)) {
            RunSummary s = new ExperimentRunner(executor, Progress.silent(), new SweepExpander(), spec -> items).run(e, shared);
            assertTrue(s.failures().isEmpty(), s.describe());
            assertEquals(3 * 2, s.utterancesRun());
            sharedWork = new long[] {executor.lmPrefillTokens(), executor.lmDecodeTokens()};
        }
        try (SearchCellExecutor executor = new SearchCellExecutor(e, false)) {
            RunSummary s = new ExperimentRunner(executor, Progress.silent(), new SweepExpander(), spec -> items).run(e, separate);
            assertTrue(s.failures().isEmpty(), s.describe());
            separateWork = new long[] {executor.lmPrefillTokens(), executor.lmDecodeTokens()};
        }
        ObjectMapper json = new ObjectMapper();
        List<Cell> cells = new SweepExpander().expand(e);
        long[] largestBudget = new long[2];
        long[] allBudgets = new long[2];
        for (BenchmarkItem item : items) {
            long previousDecode = 0;
            long prefill = -1;
            for (Cell c : cells) {
                JsonNode a = json.readTree(new ResultsFolder(shared).utterance(c.id(), item).toFile());
                JsonNode b = json.readTree(new ResultsFolder(separate).utterance(c.id(), item).toFile());
                String where = item.id() + " at budget " + c.budget();
                assertEquals(b.get("metrics"), a.get("metrics"), where);
                assertEquals(b.get("details"), a.get("details"), where);
                for (String unit : List.of("prefill_tokens", "decode_tokens", "lm_tokens", "lm_flops", "codec_seconds",
                        "verifier_calls", "candidates")) {
                    assertEquals(b.path("ledger").path(unit).asDouble(), a.path("ledger").path(unit).asDouble(), 1e-9,
                            where + ": " + unit);
                }
                assertEquals(c.budget(), a.path("ledger").path("candidates").asInt(), where);
                long decode = a.path("ledger").path("decode_tokens").asLong();
                assertTrue(decode > previousDecode, where + ": budget k counts its own k candidates' decoding");
                previousDecode = decode;
                long p = a.path("ledger").path("prefill_tokens").asLong();
                assertTrue(p > 0 && (prefill < 0 || p == prefill), where + ": every budget counts the shared prefill");
                prefill = p;
                allBudgets[0] += p;
                allBudgets[1] += decode;
                if (c == cells.getLast()) {
                    largestBudget[0] += p;
                    largestBudget[1] += decode;
                }
            }
        }
        // the LM really ran: separately, every budget's candidates; grouped, only the largest budget's
        assertArrayEquals(allBudgets, separateWork, "separate runs: prefill and decode tokens run through the LM");
        assertArrayEquals(largestBudget, sharedWork, "one search per utterance: the largest budget's work alone");
        assertTrue(sharedWork[1] < separateWork[1] && sharedWork[0] * 3 == separateWork[0],
                java.util.Arrays.toString(sharedWork) + " vs " + java.util.Arrays.toString(separateWork));
    }

    /** An item's emotion attribute reaches every verifier, guiding and evaluating, as the target emotion. */
    @Test
    void theItemsEmotionIsTheTargetEmotionOfEveryVerifier() throws Exception {
        Path fixture = fixture();
        Experiment e = experiment("""
                name: tiny
                models:
                  tiny: {path: %s, codec: %s}
                dataset: {name: tiny-test}
                strategies:
                  bon: {type: best_of_n, budgets: [1, 2]}
                verifiers:
                  emo: {type: test-target-emotion}
                  level: {type: test-level}
                search: {bon: emo}
                evaluate: [emo, level]
                sampling: {temperature: 1.0, max_tokens: 6}
                seeds: [1]
                """.formatted(fixture.resolve("model"), fixture.resolve("codec")));
        BenchmarkItem angry = new BenchmarkItem("a", null, null, "hello world", null,
                java.util.Map.of("emotion", "angry", "speaker", "us_f2"));
        BenchmarkItem plain = new BenchmarkItem("b", null, null, "hello", null);
        Path out = dir.resolve("out");
        TestVerifiers.TargetEmotion.SEEN.clear();
        try (SearchCellExecutor executor = new SearchCellExecutor(e)) {
            RunSummary s = new ExperimentRunner(executor, Progress.silent(), new SweepExpander(), spec -> List.of(angry))
                    .run(e, out);
            assertTrue(s.failures().isEmpty(), s.describe());
        }
        List<String> seen = List.copyOf(TestVerifiers.TargetEmotion.SEEN);
        // two candidates judged by the guide; the evaluator takes the pick's score from the search (same audio)
        assertTrue(seen.size() >= 2, "two candidates judged by the guide: " + seen);
        assertEquals(List.of("angry"), seen.stream().distinct().toList());
        ObjectMapper json = new ObjectMapper();
        for (Cell c : new SweepExpander().expand(e)) {
            JsonNode r = json.readTree(new ResultsFolder(out).utterance(c.id(), angry).toFile());
            assertEquals(5.0, r.path("metrics").path("emo").asDouble(), "budget " + c.budget());
            assertEquals("angry", r.path("details").path("emo.target").asText());
        }

        TestVerifiers.TargetEmotion.SEEN.clear();
        try (SearchCellExecutor executor = new SearchCellExecutor(e)) {
            new ExperimentRunner(executor, Progress.silent(), new SweepExpander(), spec -> List.of(plain)).run(e, out);
        }
        assertEquals(List.of("null"), TestVerifiers.TargetEmotion.SEEN.stream().distinct().toList());
        // a target emotion is part of what an item asks for: results made without it are redone
        assertTrue(!UtteranceStore.itemHash(angry).equals(UtteranceStore.itemHash(
                new BenchmarkItem("a", null, null, "hello world", null))));
        assertEquals(UtteranceStore.itemHash(angry), UtteranceStore.itemHash(
                angry.withAttributes(java.util.Map.of("emotion", "angry"))), "only the emotion counts");
    }

    /**
     * {@code voice_prompt: false} leaves the voice prompt out of the LM prompt (fewer prefill tokens: the
     * prompt's transcript and codes are gone) but still hands the prompt audio to the verifiers as the
     * speaker reference; the setting is part of the cell id, and the default leaves ids as they were.
     */
    @Test
    void withoutVoicePromptTheLmPromptIsTheTextAloneAndVerifiersKeepTheReference() throws Exception {
        Path fixture = fixture();
        String yaml = """
                name: tiny
                models:
                  tiny: {path: %s, codec: %s}
                dataset: {name: tiny-test}
                strategies:
                  prompted: {type: sample, budgets: [1]}
                  unprompted: {type: sample, voice_prompt: false, budgets: [1]}
                verifiers:
                  ref: {type: test-prompt-seconds}
                evaluate: [ref]
                sampling: {temperature: 1.0, max_tokens: 4}
                seeds: [2]
                """.formatted(fixture.resolve("model"), fixture.resolve("codec"));
        Experiment e = experiment(yaml);
        assertTrue(e.strategies().get("prompted").voicePrompt());
        assertTrue(!e.strategies().get("unprompted").voicePrompt());
        // a voice prompt: half a second of audio whose codes lie beside it (this decoder-only X-codec2 cannot encode)
        Path wav = dir.resolve("prompt.wav");
        org.llasalab.dsp.Wav.write(wav, new org.llasalab.dsp.Audio(new float[8000], 16000), false);
        Files.writeString(dir.resolve("prompt.codes.json"), "[5, 6, 7, 8, 9, 10, 11, 12]");
        BenchmarkItem item = new BenchmarkItem("a", "hello world", wav, "hello", null);
        Path out = dir.resolve("out");
        try (SearchCellExecutor executor = new SearchCellExecutor(e)) {
            RunSummary s = new ExperimentRunner(executor, Progress.silent(), new SweepExpander(), spec -> List.of(item))
                    .run(e, out);
            assertTrue(s.failures().isEmpty(), s.describe());
        }
        List<Cell> cells = new SweepExpander().expand(e);
        assertTrue(!cells.get(0).id().equals(cells.get(1).id()), "voice_prompt is part of the cell id");
        assertEquals(false, ((java.util.Map<?, ?>) cells.get(1).config().get("strategy")).get("voice_prompt"));
        assertTrue(!((java.util.Map<?, ?>) cells.get(0).config().get("strategy")).containsKey("voice_prompt"),
                "the default is left out of the configuration, so existing cells keep their ids");
        ObjectMapper json = new ObjectMapper();
        JsonNode prompted = json.readTree(new ResultsFolder(out).utterance(cells.get(0).id(), item).toFile());
        JsonNode unprompted = json.readTree(new ResultsFolder(out).utterance(cells.get(1).id(), item).toFile());
        long withPrompt = prompted.path("ledger").path("prefill_tokens").asLong();
        long without = unprompted.path("ledger").path("prefill_tokens").asLong();
        assertTrue(without > 0, "the text is still prompted");
        assertTrue(withPrompt >= without + 8 + 2, "8 prompt codes and the prompt words: " + withPrompt + " vs " + without);
        assertEquals(0.5, prompted.path("metrics").path("ref").asDouble(), 1e-9);
        assertEquals(0.5, unprompted.path("metrics").path("ref").asDouble(), 1e-9,
                "unprompted generation is judged against the same speaker reference");
    }

    /**
     * With a codec that can encode (the golden tiny X-codec2 with its encoder, its quantizer input pinned so that
     * codes stay below 64), each prompt file is encoded once for the whole run: two cells x two items whose
     * prompts are two copies of one file give one encode.
     */
    @Test
    void eachPromptFileIsEncodedOncePerRun() throws Exception {
        Path golden = Path.of(System.getProperty("llasa.home", "."), "toolkit/src/test/resources/golden/xcodec2-encoder");
        Path codec = Files.createDirectories(dir.resolve("xcodec2"));
        java.util.Map<String, org.llasalab.io.TensorData> tensors = new java.util.LinkedHashMap<>();
        try (org.llasalab.io.TensorStore store = org.llasalab.io.TensorStore.open(golden.resolve("model.safetensors"))) {
            for (String name : store.names()) {
                float[] v = store.toFloatArray(name);
                if (name.equals("quantizer.project_in.weight")) java.util.Arrays.fill(v, 3 * 64, v.length, 0f);
                if (name.equals("quantizer.project_in.bias")) java.util.Arrays.fill(v, 3, v.length, -10f);
                tensors.put(name, org.llasalab.io.TensorData.f32(v, store.shape(name)));
            }
        }
        org.llasalab.io.SafetensorsWriter.write(codec.resolve("model.safetensors"), tensors);
        Files.copy(golden.resolve("config.json"), codec.resolve("config.json"));
        Experiment e = experiment("""
                name: tiny
                models:
                  tiny: {path: %s, codec: %s}
                dataset: {name: tiny-test}
                strategies:
                  one: {type: sample, budgets: [1]}
                  two: {type: best_of_n, budgets: [2]}
                verifiers:
                  ref: {type: test-prompt-seconds}
                search: {two: ref}
                evaluate: [ref]
                sampling: {temperature: 1.0, max_tokens: 4}
                seeds: [2]
                """.formatted(fixture().resolve("model"), codec));
        Path a = Files.copy(golden.resolve("prompt.wav"), dir.resolve("a.wav"));
        Path b = Files.copy(golden.resolve("prompt.wav"), dir.resolve("b.wav"));
        List<BenchmarkItem> items = List.of(new BenchmarkItem("a", "hello world", a, "hello", null),
                new BenchmarkItem("b", "hello world", b, "hello there", null));
        try (SearchCellExecutor executor = new SearchCellExecutor(e)) {
            RunSummary s = new ExperimentRunner(executor, Progress.silent(), new SweepExpander(), spec -> items)
                    .run(e, dir.resolve("out"));
            assertTrue(s.failures().isEmpty(), s.describe());
            assertEquals(2 * 2, s.utterancesRun());
            assertEquals(1, executor.promptsEncoded());
        }
    }

    private Path fixture() throws Exception {
        return TestSupport.tinyLlasa();
    }

    private Experiment experiment(String yaml) throws Exception {
        return TestSupport.readReal(dir, yaml);
    }
}
