package org.llasalab.eval.score;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.eval.experiment.Experiment.VerifierSpec;

/**
 * The verifiers of {@code llasa eval} as its command line names them, read into the same
 * {@link VerifierSpec}s an experiment file's {@code verifiers:} section gives: a column name (the
 * metric's name in the tables) and the registry type that makes it, with its parameters.
 *
 * <p>{@code --verifiers} entries are {@code type} (the column is named after the type) or
 * {@code name=type} (e.g. {@code wer=whisper-wer,sim=wavlm-sim}). {@code --verifier-param} entries
 * are {@code name.key=value} and go to the verifier of that column name as string parameters (the
 * verifier parses numbers and flags itself, as from YAML).
 */
public final class VerifierFlags {
    private VerifierFlags() {}

    public static List<VerifierSpec> parse(List<String> entries, List<String> assignments) {
        Map<String, String> types = new LinkedHashMap<>();
        for (String raw : entries) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("--verifiers: empty entry in '" + String.join(",", entries) + "'");
            }
            int eq = entry.indexOf('=');
            String name = eq < 0 ? entry : entry.substring(0, eq).strip();
            String type = eq < 0 ? entry : entry.substring(eq + 1).strip();
            if (name.isEmpty() || type.isEmpty() || !name.matches("[A-Za-z0-9_.-]+") || name.contains(".")) {
                throw new IllegalArgumentException("--verifiers: '" + entry
                        + "' must be 'type' or 'name=type' (name: letters, digits, '_' or '-')");
            }
            if (types.putIfAbsent(name, type) != null) {
                throw new IllegalArgumentException("--verifiers: the name '" + name + "' is used twice");
            }
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("--verifiers: no verifier given");
        }
        Map<String, Map<String, Object>> params = new LinkedHashMap<>();
        types.keySet().forEach(n -> params.put(n, new LinkedHashMap<>()));
        for (String assignment : assignments) {
            int dot = assignment.indexOf('.');
            int eq = assignment.indexOf('=');
            if (dot <= 0 || eq < dot + 2) {
                throw new IllegalArgumentException("--verifier-param: '" + assignment + "' must be name.key=value");
            }
            String name = assignment.substring(0, dot);
            String key = assignment.substring(dot + 1, eq).strip();
            Map<String, Object> target = params.get(name);
            if (target == null) {
                throw new IllegalArgumentException("--verifier-param: '" + assignment + "' names verifier '" + name
                        + "', but --verifiers has only: " + String.join(", ", types.keySet()));
            }
            target.put(key, assignment.substring(eq + 1));
        }
        List<VerifierSpec> specs = new ArrayList<>();
        types.forEach((name, type) -> specs.add(new VerifierSpec(name, type, params.get(name))));
        return specs;
    }
}
