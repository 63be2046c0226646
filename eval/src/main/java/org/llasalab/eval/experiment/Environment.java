package org.llasalab.eval.experiment;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * What an experiment file may refer to: strategy types with their allowed parameter keys and the
 * parameter a cell's budget sets ({@code n} for best_of_n, ...; types without one only take budget 1;
 * types with one choose among candidates, so they need a guiding verifier),
 * verifier types, and catalogue short names of models, codecs and datasets with their folders (which
 * need not exist yet: the micro world builds them). {@code strategyCheck} (may be null) validates a
 * strategy's parameters deeply and returns an error message or null.
 */
public record Environment(
        Map<String, Set<String>> strategyTypes,
        Map<String, String> budgetParameters,
        Set<String> verifierTypes,
        Map<String, Path> models,
        Map<String, Path> codecs,
        Map<String, Path> datasets,
        BiFunction<String, Map<String, Object>, String> strategyCheck) {

    /** The strategy key that picks which parameter the budget sets (default per type). */
    public static final String BUDGET_PARAMETER_KEY = "budget_parameter";

    public Environment {
        strategyTypes = new TreeMap<>(strategyTypes);
        budgetParameters = new TreeMap<>(budgetParameters);
        verifierTypes = new TreeSet<>(verifierTypes);
        models = new TreeMap<>(models);
        codecs = new TreeMap<>(codecs);
        datasets = new TreeMap<>(datasets);
    }
}
