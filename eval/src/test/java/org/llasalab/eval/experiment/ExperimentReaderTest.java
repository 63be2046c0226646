package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.io.yaml.Problem;

class ExperimentReaderTest {
    @TempDir
    Path dir;

    private ExperimentException broken(String yaml) throws Exception {
        Path dataset = dir.resolve("meta.lst");
        Files.writeString(dataset, "");
        Path file = TestSupport.write(dir, "broken.yaml", yaml);
        return assertThrows(ExperimentException.class,
                () -> new ExperimentReader(TestSupport.environment(dataset), Map.of("MODELS", dir.toString())::get)
                        .read(file));
    }

    private static Problem only(ExperimentException e) {
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().getFirst();
    }

    @Test
    void readsAValidExperimentWithDefaults() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("best"));
        assertEquals("small", e.name());
        assertEquals(List.of("s", "l"), List.copyOf(e.models().keySet()));
        assertEquals(dir.resolve("tiny-s"), e.models().get("s").dir());
        assertEquals(5, e.dataset().limit());
        assertEquals(List.of(1, 2, 4), e.strategies().get("bon").budgets());
        assertEquals("n", e.strategies().get("bon").budgetParameter());
        assertEquals(List.of("wer"), e.strategies().get("bon").guides());
        assertEquals(List.of("sim"), e.strategies().get("beam").guides());
        assertEquals(List.of(), e.strategies().get("sample").guides());
        assertEquals(Map.of("expand", 2L, "beam_width", 2), e.strategies().get("beam").paramsAt(2));
        assertEquals(Experiment.Sampling.DEFAULT, e.sampling());
        assertEquals(List.of(7L), e.seeds());
        assertEquals(Path.of("results", "small"), e.output().dir());
        assertEquals(Experiment.SaveAudio.BEST, e.output().saveAudio());
    }

    @Test
    void unknownKeyNamesItsLineColumnAndTheAllowedKeys() throws Exception {
        String yaml = TestSupport.smallExperiment("best").replace("seeds: [7]", "seeds: [7]\nsampels: {top_p: 0.9}");
        Problem p = only(broken(yaml));
        assertEquals(16, p.location().line(), p.toString());
        assertEquals(1, p.location().column());
        assertTrue(p.message().contains("unknown key 'sampels'"), p.message());
        assertTrue(p.message().contains("sampling"), "lists the allowed keys: " + p.message());
        assertTrue(p.toString().startsWith(dir.resolve("broken.yaml") + ":16:1: "), p.toString());
    }

    @Test
    void wrongTypesAreReportedAtTheValue() throws Exception {
        String yaml = """
                name: typed
                models:
                  s: {path: tiny-s, codec: tiny-codec}
                dataset: {name: tiny-test, limit: many}
                strategies:
                  bon: {type: best_of_n, budgets: 4}
                sampling:
                  temperature: hot
                  top_k: 2.5
                seeds: [1, x]
                verifiers: {wer: {type: fake-asr}}
                search: wer
                """;
        ExperimentException e = broken(yaml);
        assertEquals(5, e.problems().size(), e.getMessage());
        List<Integer> lines = e.problems().stream().map(p -> p.location().line()).toList();
        assertEquals(List.of(4, 6, 8, 9, 10), lines, e.getMessage());
        assertTrue(e.problems().get(0).message().contains("dataset.limit: expected an integer, found a string 'many'"));
        assertTrue(e.problems().get(1).message().contains("expected a list of positive integers"));
        assertTrue(e.problems().get(2).message().contains("sampling.temperature: expected a number"));
        assertEquals(16, e.problems().get(2).location().column());
    }

    @Test
    void voicePromptIsABooleanPerStrategy() throws Exception {
        String yaml = TestSupport.smallExperiment("best")
                .replace("sample: {type: sample, budgets: [1]}", "sample: {type: sample, voice_prompt: false, budgets: [1]}");
        Experiment e = TestSupport.read(dir, yaml);
        assertTrue(!e.strategies().get("sample").voicePrompt());
        assertTrue(e.strategies().get("bon").voicePrompt(), "default true");
        assertTrue(!e.strategies().get("sample").params().containsKey("voice_prompt"), "not a strategy parameter");

        Problem p = only(broken(yaml.replace("voice_prompt: false", "voice_prompt: maybe")));
        assertEquals(7, p.location().line(), p.toString());
        assertEquals(40, p.location().column(), p.toString());
        assertTrue(p.message().contains("strategies.sample.voice_prompt: expected true or false"), p.message());
        assertTrue(p.message().contains("'maybe'"), p.message());
    }

    @Test
    void unknownStrategyAndVerifierTypesListTheKnownOnes() throws Exception {
        String yaml = """
                name: types
                models:
                  s: {path: tiny-s, codec: tiny-codec}
                dataset: tiny-test
                strategies:
                  mcts: {type: monte_carlo, budgets: [1]}
                  bon: {type: best_of_n, budgets: [2], width: 3}
                verifiers:
                  wer: {type: whisper-huge}
                search: wer
                """;
        ExperimentException e = broken(yaml);
        assertEquals(3, e.problems().size(), e.getMessage());
        Problem strategy = e.problems().get(0);
        assertEquals(6, strategy.location().line());
        assertTrue(strategy.message().contains("unknown strategy type 'monte_carlo' (allowed: [beam, best_of_n, sample])"),
                strategy.message());
        Problem key = e.problems().get(1);
        assertEquals(7, key.location().line());
        assertTrue(key.message().contains("unknown key 'width' for strategy type 'best_of_n'"), key.message());
        Problem verifier = e.problems().get(2);
        assertEquals(9, verifier.location().line());
        assertTrue(verifier.message().contains("unknown verifier type 'whisper-huge' (allowed: [fake-asr, fake-sim, test-length])"),
                verifier.message());
    }

    @Test
    void missingFilesAreReportedWithTheirResolvedPathAndWhatToDownload() throws Exception {
        String yaml = """
                name: real
                models:
                  big:
                    path: ${MODELS}/Llasa-8B
                    source: HKUSTAudio/Llasa-8B
                    codec:
                      path: ${NOT_SET:-models}/xcodec2
                      source: HKUSTAudio/xcodec2
                dataset: {path: seedtts_testset/en/meta.lst, source: seed-tts-eval test-en}
                strategies:
                  sample: {type: sample, budgets: [1]}
                """;
        ExperimentException e = broken(yaml);
        assertEquals(3, e.problems().size(), e.getMessage());
        assertEquals(List.of(4, 7, 9), e.problems().stream().map(p -> p.location().line()).toList());
        String model = e.problems().get(0).message();
        assertTrue(model.contains(dir.resolve("Llasa-8B") + " not found"), model);
        assertTrue(model.contains("huggingface-cli download HKUSTAudio/Llasa-8B"), model);
        assertTrue(e.problems().get(1).message().contains(dir.resolve("models/xcodec2") + " not found"));
        assertTrue(e.problems().get(1).message().contains("HKUSTAudio/xcodec2"));
        assertTrue(e.problems().get(2).message().contains(dir.resolve("seedtts_testset/en/meta.lst") + " not found"));
        assertTrue(e.problems().get(2).message().contains("seed-tts-eval test-en"));
    }

    @Test
    void aFolderWithoutConfigIsNotAModel() throws Exception {
        Files.createDirectories(dir.resolve("empty-model"));
        Files.createDirectories(dir.resolve("codec"));
        String yaml = """
                name: nocfg
                models:
                  m: {path: empty-model, codec: codec}
                dataset: tiny-test
                strategies:
                  sample: {type: sample, budgets: [1]}
                """;
        Problem p = only(broken(yaml));
        assertEquals(3, p.location().line());
        assertTrue(p.message().contains("is not a model folder (no config.json)"), p.message());
    }

    @Test
    void badIndentationIsASyntaxErrorWithItsLine() throws Exception {
        String yaml = """
                name: indent
                models:
                  s: {path: tiny-s, codec: tiny-codec}
                dataset: tiny-test
                strategies:
                  sample:
                    type: sample
                   budgets: [1]
                """;
        Problem p = only(broken(yaml));
        assertTrue(p.message().startsWith("YAML syntax error"), p.message());
        assertEquals(8, p.location().line(), p.toString());
    }

    @Test
    void unclosedBracketIsASyntaxError() throws Exception {
        Problem p = only(broken("name: x\nmodels: {s: {path: tiny-s\nseeds: [1]\n"));
        assertTrue(p.message().startsWith("YAML syntax error"), p.message());
        assertTrue(p.location().line() >= 2, p.toString());
    }

    @Test
    void everyProblemIsReportedAtOnceInFileOrder() throws Exception {
        String yaml = """
                name: many problems
                models:
                  s: {path: tiny-s, codec: tiny-codec, dtype: int3, quantize: q4}
                dataset: {name: nowhere}
                strategies:
                  bon: {type: best_of_n, budgets: [0, 2, 2]}
                  sample: {type: sample, budgets: [1, 2]}
                  beam: {type: beam, expand: 99, budgets: [1]}
                verifiers:
                  wer: {type: fake-asr}
                search: {bon: cer, ghost: wer}
                evaluate: [wer, wer]
                seeds: [1, 1]
                sweep: {zip: [[model, seed, budget]]}
                output: {save_audio: some}
                name: again
                """;
        ExperimentException e = broken(yaml);
        List<Integer> lines = e.problems().stream().map(p -> p.location().line()).toList();
        assertEquals(List.of(1, 3, 3, 4, 6, 6, 7, 8, 8, 11, 11, 12, 13, 14, 15, 16), lines, e.getMessage());
        assertTrue(e.getMessage().startsWith("16 problems in the experiment:"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown quantization 'q4' (allowed: [none, q8])"), e.getMessage());
        assertTrue(e.getMessage().contains("strategies.beam: strategy type 'beam' chooses among candidates and needs a"
                + " guiding verifier: name one under search: (e.g. search: {beam: wer})"), e.getMessage());
        assertTrue(e.getMessage().contains("duplicate key 'name'"), e.getMessage());
        assertTrue(e.getMessage().contains("expand must be <= 16"), e.getMessage());
        assertTrue(e.getMessage().contains("only budget is 1"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown axis 'budget'"), e.getMessage());
        assertTrue(e.getMessage().contains("(allowed: [none, best, all])"), e.getMessage());
    }

    @Test
    void emptyAndNonMappingFilesAreRejected() throws Exception {
        assertTrue(only(broken("")).message().contains("empty"));
        assertTrue(only(broken("- a\n- b\n")).message().contains("must be a mapping"));
    }
}
