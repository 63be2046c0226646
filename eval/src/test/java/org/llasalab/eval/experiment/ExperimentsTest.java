package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llasalab.eval.trainscaling.TrainScalingStudy;
import org.llasalab.io.yaml.Problem;

/**
 * The shipped experiments in {@code experiments/}: fully valid once the micro world's models and
 * verifiers exist, and until then failing only on exactly those (or, for the real Llasa experiment, on
 * downloads, each with what to download and where).
 */
class ExperimentsTest {
    static final Path EXPERIMENTS = Path.of(System.getProperty("llasa.home"), "experiments");
    static final Set<String> MICRO_VERIFIERS = Set.of("micro-asr", "micro-speaker", "micro-emotion");
    static final Set<String> MICRO_MODELS = Set.of("micro-s", "micro-m", "micro-l");

    /** The discovered environment plus the micro world's names, as they will be once it is trained. */
    private static Environment withMicroWorld() {
        Environment e = Environments.discover();
        Set<String> verifiers = new HashSet<>(e.verifierTypes());
        verifiers.addAll(MICRO_VERIFIERS);
        Map<String, Path> models = new HashMap<>(e.models());
        for (String m : MICRO_MODELS) models.putIfAbsent(m, EXPERIMENTS.resolve("unbuilt").resolve(m));
        return new Environment(e.strategyTypes(), e.budgetParameters(), verifiers, models, e.codecs(), e.datasets(),
                e.strategyCheck());
    }

    @Test
    void microWorldExperimentsAreValidGivenTheMicroWorld() throws Exception {
        Environment env = withMicroWorld();
        Experiment quick = new ExperimentReader(env).read(EXPERIMENTS.resolve("quickstart.yaml"));
        List<Cell> cells = new SweepExpander(p -> "").expand(quick);
        assertTrue(quick.models().size() >= 2, "the quickstart compares model sizes");
        assertEquals(quick.models().size() * (1 + 4 + 4), cells.size());
        assertEquals(40, quick.dataset().limit());
        assertEquals(List.of("wer"), quick.strategies().get("best_of_n").guides());
        assertEquals(List.of("sim"), quick.strategies().get("beam").guides());
        assertEquals(List.of("wer", "sim", "emotion", "sim_audit"), quick.evaluate());

        Experiment scaling = new ExperimentReader(env).read(EXPERIMENTS.resolve("inference-scaling.yaml"));
        assertEquals(Set.copyOf(org.llasalab.search.SearchStrategies.types()), scaling.strategies().values().stream()
                .map(Experiment.StrategySpec::type).collect(java.util.stream.Collectors.toSet()), "all strategies");
        assertEquals(64, scaling.strategies().values().stream().flatMap(s -> s.budgets().stream())
                .mapToInt(Integer::intValue).max().orElseThrow());
        for (Experiment.StrategySpec s : scaling.strategies().values()) {
            assertTrue(s.guides().stream().noneMatch("emotion"::equals), "emotion is held out: " + s.name());
        }
    }

    /**
     * The train-scaling study validates from a clean clone: its runs' outputs (loss.csv, exported models)
     * are looked at only when it runs.
     */
    @Test
    void theTrainScalingStudyIsValidWhetherOrNotItsRunsExist() throws Exception {
        Path file = EXPERIMENTS.resolve("train-scaling.yaml");
        assertTrue(TrainScalingStudy.isStudy(file));
        TrainScalingStudy study = TrainScalingStudy.read(file, withMicroWorld());
        assertEquals(List.of("micro-xs-8m", "micro-s-8m", "micro-m-8m"), List.copyOf(study.runs().keySet()));
        for (TrainScalingStudy.Run r : study.runs().values()) {
            assertEquals(EXPERIMENTS.resolve("train-" + r.name() + ".yaml"), r.configFile());
            assertEquals(Path.of("/work/data/train", r.name()), r.output());
            assertEquals(8_000_000, r.config().settings().speechTokenBudget());
            assertEquals(Environments.discover().codecs().get("micro"), r.codecDir());
        }
        Experiment fin = study.finalExperiment();
        assertEquals(List.of("wer", "sim"), fin.evaluate());
        assertTrue(fin.strategies().get("sample").voicePrompt());
        assertTrue(!fin.strategies().get("sample_unprompted").voicePrompt(), "unprompted generation as the baseline");
        assertEquals(Path.of("results", "train-scaling", "final"), fin.output().dir());
        assertEquals(Map.of("temperature", 0.5), fin.strategies().get("sample_unprompted_t05").params().get("sampling"));
        assertEquals(3 * 3, new SweepExpander(p -> "").expand(fin).size());
    }

    @Test
    void theFirstFamilysStudyNamesItsOwnRuns() throws Exception {
        TrainScalingStudy study = TrainScalingStudy.read(EXPERIMENTS.resolve("train-scaling-4m.yaml"), withMicroWorld());
        assertEquals(List.of("micro-s", "micro-m", "micro-l"), List.copyOf(study.runs().keySet()));
        for (TrainScalingStudy.Run r : study.runs().values()) {
            assertEquals(EXPERIMENTS.resolve("train-" + r.name() + ".yaml"), r.configFile());
            assertEquals(4_000_000, r.config().settings().speechTokenBudget());
        }
        assertEquals(Path.of("results", "train-scaling-4m", "final"), study.finalExperiment().output().dir());
    }

    @Test
    void theRecipeStudyHoldsOneShapeAtTwoRecipesAndTwoBudgets() throws Exception {
        TrainScalingStudy study = TrainScalingStudy.read(EXPERIMENTS.resolve("train-scaling-recipe.yaml"), withMicroWorld());
        assertEquals(List.of("micro-s", "micro-s-4m-wsd", "micro-s-8m"), List.copyOf(study.runs().keySet()));
        List<TrainScalingStudy.Run> runs = List.copyOf(study.runs().values());
        var s = runs.get(0).config();
        var wsd4 = runs.get(1).config();
        var wsd8 = runs.get(2).config();
        assertEquals(s.shape(), wsd4.shape(), "one shape");
        assertEquals(wsd8.shape(), wsd4.shape(), "one shape");
        assertEquals(4_000_000, s.settings().speechTokenBudget());
        assertEquals(4_000_000, wsd4.settings().speechTokenBudget());
        assertEquals(8_000_000, wsd8.settings().speechTokenBudget());
        // the ablation changes the recipe only: its settings are micro-s-8m's but for the budget
        var t = wsd8.settings();
        assertEquals(new org.llasalab.train.TrainerSettings(4_000_000, t.seed(), t.initStd(), t.batching(), t.optimiser(),
                t.cadence()), wsd4.settings());
        assertNotEquals(s.settings().optimiser(), wsd4.settings().optimiser(), "a different schedule");
    }

    @Test
    void theDataStudyHoldsBothFamiliesAtTheirTwoBudgets() throws Exception {
        TrainScalingStudy study = TrainScalingStudy.read(EXPERIMENTS.resolve("train-scaling-data.yaml"), withMicroWorld());
        assertEquals(List.of("micro-s", "micro-m", "micro-l", "micro-xs-8m", "micro-s-8m", "micro-m-8m", "micro-l-8m"),
                List.copyOf(study.runs().keySet()));
        for (TrainScalingStudy.Run r : study.runs().values()) {
            assertEquals(EXPERIMENTS.resolve("train-" + r.name() + ".yaml"), r.configFile());
            assertEquals(r.name().endsWith("-8m") ? 8_000_000 : 4_000_000, r.config().settings().speechTokenBudget());
        }
        // the same final evaluation as the single-family studies, so their numbers compare
        Experiment one = TrainScalingStudy.read(EXPERIMENTS.resolve("train-scaling.yaml"), withMicroWorld()).finalExperiment();
        Experiment both = study.finalExperiment();
        assertEquals(one.strategies(), both.strategies());
        assertEquals(one.sampling(), both.sampling());
        assertEquals(one.dataset(), both.dataset());
        assertEquals(Path.of("results", "train-scaling-data", "final"), both.output().dir());
    }

    @Test
    void untilTheMicroWorldIsTrainedOnlyItsNamesAreMissing() {
        for (String file : List.of("quickstart.yaml", "inference-scaling.yaml")) {
            try {
                new ExperimentReader(Environments.discover()).read(EXPERIMENTS.resolve(file));
            } catch (ExperimentException e) {
                for (Problem p : e.problems()) {
                    boolean microName = MICRO_VERIFIERS.stream().anyMatch(v -> p.message().contains("'" + v + "'"))
                            || MICRO_MODELS.stream().anyMatch(m -> p.message().contains("'" + m + "'"));
                    if (!microName) fail(file + ": unexpected problem " + p);
                }
            }
        }
    }

    @Test
    void theLlasaExperimentSaysWhatToDownloadAndWhere() {
        ExperimentException e = assertThrows(ExperimentException.class, () -> new ExperimentReader(
                Environments.discover(), name -> null).read(EXPERIMENTS.resolve("seed-tts-eval-llasa.yaml")));
        String msg = e.getMessage();
        for (String what : List.of("HKUSTAudio/Llasa-1B", "HKUSTAudio/Llasa-3B", "HKUSTAudio/Llasa-8B", "HKUSTAudio/xcodec2",
                "seed-tts-eval test-en", EXPERIMENTS.resolve("models/Llasa-1B").toString(),
                EXPERIMENTS.resolve("data/seedtts_testset/en/meta.lst").toString(), "LLASA_MODELS")) {
            assertTrue(msg.contains(what), what + " in\n" + msg);
        }
        for (Problem p : e.problems()) {
            assertTrue(p.message().contains("not found"), "only missing downloads: " + p);
        }
    }
}
