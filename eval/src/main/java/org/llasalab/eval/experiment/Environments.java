package org.llasalab.eval.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.llasalab.eval.bench.Benchmarks;
import org.llasalab.microworld.Catalogue;
import org.llasalab.search.SearchStrategies;
import org.llasalab.verify.Verifiers;

/** The environment of this installation: the registries of strategies, verifiers and catalogue names. */
public final class Environments {
    private Environments() {}

    public static Environment discover() {
        Map<String, Set<String>> strategies = new LinkedHashMap<>();
        Map<String, String> budgetParameters = new LinkedHashMap<>();
        for (String type : SearchStrategies.types()) {
            Set<String> keys = new LinkedHashSet<>(SearchStrategies.allowedKeys(type));
            keys.remove("budgets"); // budgets belong to the experiment: one cell per budget
            strategies.put(type, keys);
            String b = SearchStrategies.type(type).budgetKey(); // the parameter a budget sets, if any
            if (b != null && keys.contains(b)) budgetParameters.put(type, b);
        }
        Set<String> verifiers = new LinkedHashSet<>(Verifiers.types());
        Map<String, Path> datasets = new LinkedHashMap<>();
        String home = System.getProperty("llasa.home");
        if (home != null && !home.isBlank()) {
            datasets.put(Benchmarks.MICRO_TEST, Path.of(home, "toolkit", "microworld", "testset", "meta.lst"));
        }
        Map<String, Path> catalogue = home == null || home.isBlank() ? Map.of() : Catalogue.entries();
        return new Environment(strategies, budgetParameters, verifiers, catalogue, catalogue, datasets,
                Environments::checkStrategy);
    }

    private static String checkStrategy(String type, Map<String, Object> params) {
        try {
            SearchStrategies.create(type, params);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
