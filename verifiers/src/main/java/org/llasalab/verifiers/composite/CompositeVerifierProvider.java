package org.llasalab.verifiers.composite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.VerifierParams;
import org.llasalab.verify.VerifierProvider;
import org.llasalab.verify.Verifiers;

/**
 * Type {@code composite}. YAML:
 * <pre>
 * type: composite
 * mode: weighted            # weighted | lexicographic | minimum
 * threshold: 0.1            # lexicographic: raw score the first member must reach
 * members:
 *   - {name: wer, type: wer, asr: whisper, model: ggml-large-v3.bin, weight: 1, range: [0, 0.5]}
 *   - {name: sim, ref: sim-o, weight: 2}   # a verifier defined elsewhere, resolved by name
 *   - sim-o                                # the same, short form
 * </pre>
 * Inline members are made with {@link Verifiers#create} from their remaining keys; named members are
 * resolved by the caller (the experiment runner) through {@link #fromParams}. Member keys {@code name},
 * {@code type}, {@code ref}, {@code weight} and {@code range} belong to the composite.
 */
public final class CompositeVerifierProvider implements VerifierProvider {
    private static final Set<String> MEMBER_KEYS = Set.of("name", "type", "ref", "weight", "range");

    @Override
    public String type() {
        return "composite";
    }

    @Override
    public String description() {
        return "combines verifiers: weighted sum of normalised scores, lexicographic (threshold then best), or minimum";
    }

    /**
     * "1" while every inline member's type is at revision 1; otherwise each member's revision in order
     * (e.g. "1+2"). Members given by name are judged by their own definitions, not seen here.
     */
    @Override
    public String version(Map<String, Object> params) {
        if (!(params.get("members") instanceof List<?> list)) return "1";
        List<String> versions = new ArrayList<>();
        for (Object m : list) {
            Map<String, Object> inline = new LinkedHashMap<>();
            if (m instanceof Map<?, ?> raw && raw.get("type") != null && raw.get("ref") == null) {
                raw.forEach((k, v) -> { if (!MEMBER_KEYS.contains(String.valueOf(k))) inline.put(String.valueOf(k), v); });
                versions.add(Verifiers.version(raw.get("type").toString(), inline));
            } else {
                versions.add("1");
            }
        }
        return versions.stream().allMatch("1"::equals) ? "1" : String.join("+", versions);
    }

    @Override
    public Verifier create(Map<String, Object> params, Path baseDir) {
        return fromParams(params, baseDir, name -> {
            throw new IllegalArgumentException("composite: member '" + name + "' refers to a named verifier, which only an "
                    + "experiment (or 'llasa verify --verifiers FILE') can resolve; give the member inline with 'type:'");
        });
    }

    /**
     * Builds a composite from YAML parameters; {@code byName} resolves members given by name (those
     * verifiers stay owned by the caller and are not closed with the composite).
     */
    public static CompositeVerifier fromParams(Map<String, Object> params, Path baseDir, Function<String, Verifier> byName) {
        VerifierParams p = new VerifierParams("composite", params, baseDir);
        CompositeVerifier.Mode mode = CompositeVerifier.Mode.valueOf(
                p.choice("mode", "weighted", List.of("weighted", "lexicographic", "minimum")).toUpperCase(Locale.ROOT));
        Object rawMembers = params.get("members");
        if (!(rawMembers instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("composite: parameter 'members' must be a non-empty list");
        }
        List<CompositeVerifier.Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < list.size(); i++) {
                members.add(member(list.get(i), i, baseDir, byName));
            }
            return new CompositeVerifier(mode, members, p.number("threshold", Double.NaN));
        } catch (RuntimeException e) {
            for (CompositeVerifier.Member m : members) {
                if (m.owned()) m.verifier().close();
            }
            throw e;
        }
    }

    private static CompositeVerifier.Member member(Object spec, int index, Path baseDir, Function<String, Verifier> byName) {
        if (spec instanceof String name) {
            return new CompositeVerifier.Member(name, resolve(name, byName), 1.0, Double.NaN, Double.NaN, false);
        }
        if (!(spec instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException("composite: member " + index + " must be a name or a map, got " + spec);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        raw.forEach((k, v) -> map.put(String.valueOf(k), v));
        VerifierParams mp = new VerifierParams("composite member " + index, map, baseDir);
        double weight = mp.number("weight", 1.0);
        double lo = Double.NaN, hi = Double.NaN;
        if (map.get("range") != null) {
            List<String> range = mp.strings("range");
            if (range.size() != 2) {
                throw new IllegalArgumentException("composite: member " + index + " 'range' must be [lo, hi], got " + range);
            }
            lo = Double.parseDouble(range.get(0));
            hi = Double.parseDouble(range.get(1));
            if (!(hi > lo)) {
                throw new IllegalArgumentException("composite: member " + index + " 'range' needs lo < hi, got " + range);
            }
        }
        if (map.get("ref") != null) {
            String ref = map.get("ref").toString();
            String name = mp.string("name", ref);
            return new CompositeVerifier.Member(name, resolve(ref, byName), weight, lo, hi, false);
        }
        if (map.get("type") == null) {
            throw new IllegalArgumentException("composite: member " + index + " needs 'type' (inline) or 'ref' (by name)");
        }
        String type = map.get("type").toString();
        String name = mp.string("name", type);
        Map<String, Object> own = new LinkedHashMap<>(map);
        own.keySet().removeAll(MEMBER_KEYS);
        return new CompositeVerifier.Member(name, Verifiers.create(type, own, baseDir), weight, lo, hi, true);
    }

    private static Verifier resolve(String name, Function<String, Verifier> byName) {
        Verifier v = byName.apply(name);
        if (v == null) {
            throw new IllegalArgumentException("composite: no verifier named '" + name + "'");
        }
        return v;
    }
}
