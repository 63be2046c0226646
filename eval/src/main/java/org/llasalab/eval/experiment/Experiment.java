package org.llasalab.eval.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment file: what to run (models x strategies x budgets x seeds on a dataset),
 * which verifiers guide search and which ones evaluate, and where results go. Made by
 * {@link ExperimentReader}; every path is already resolved.
 */
public record Experiment(
        Path file,
        String name,
        Map<String, ModelSpec> models,
        DatasetSpec dataset,
        Map<String, StrategySpec> strategies,
        Map<String, VerifierSpec> verifiers,
        List<String> evaluate,
        Sampling sampling,
        List<Long> seeds,
        List<List<String>> zip,
        Output output) {

    /**
     * A model: its folder (or catalogue short name), its codec, an optional weight dtype, and how its
     * weights are converted when loaded ({@code quantize}: null = as stored, or {@code q8}).
     */
    public record ModelSpec(String name, String path, Path dir, String codec, Path codecDir, String dtype, String quantize) {
        public ModelSpec(String name, String path, Path dir, String codec, Path codecDir, String dtype) {
            this(name, path, dir, codec, codecDir, dtype, null);
        }
    }

    /**
     * The test list: {@code name} is a catalogue dataset ({@code micro-test}) or null; {@code file} the
     * {@code meta.lst}; {@code limit} the number of items used (0 = all).
     */
    public record DatasetSpec(String name, Path file, int limit) {}

    /**
     * A search strategy: its type, its parameters (without the budget), the parameter each cell's budget
     * sets (null: none, budget 1 only), the budgets to sweep, its guiding verifiers, and whether the LM
     * prompt holds the item's voice prompt ({@code voicePrompt} false: the target text alone; verifiers
     * still judge against the prompt audio).
     */
    public record StrategySpec(String name, String type, Map<String, Object> params, String budgetParameter,
            List<Integer> budgets, List<String> guides, boolean voicePrompt) {
        /** The parameters of a cell at {@code budget}. */
        public Map<String, Object> paramsAt(int budget) {
            Map<String, Object> p = new java.util.LinkedHashMap<>(params);
            if (budgetParameter != null) p.put(budgetParameter, budget);
            return p;
        }
    }

    /**
     * A verifier: its name (the metric's column in the tables), the registry type that makes it, and its
     * parameters (plain YAML values; file parameters already resolved). The one verifier record: an
     * experiment file's {@code verifiers:} and {@code llasa eval --verifiers} ({@code score.VerifierFlags})
     * both give these.
     */
    public record VerifierSpec(String name, String type, Map<String, Object> params) {
        public VerifierSpec {
            params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        }
    }

    /** Sampling defaults handed to every strategy. */
    public record Sampling(double temperature, double topP, int topK, double minP, double repetitionPenalty,
            int maxTokens) {
        public static final Sampling DEFAULT = new Sampling(0.8, 1.0, 0, 0.0, 1.0, 2048);

        public Map<String, Object> asMap() {
            return Map.of("temperature", temperature, "top_p", topP, "top_k", topK, "min_p", minP,
                    "repetition_penalty", repetitionPenalty, "max_tokens", maxTokens);
        }
    }

    public enum SaveAudio { NONE, BEST, ALL }

    public record Output(Path dir, SaveAudio saveAudio) {}
}
