package org.llasalab.verify;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The registry of verifier types: every {@link VerifierProvider} on the class path, keyed by its
 * {@link VerifierProvider#type()}. Further modules (for example the micro-world verifiers) add types by
 * listing their providers in {@code META-INF/services/org.llasalab.verify.VerifierProvider}.
 */
public final class Verifiers {
    private static volatile Map<String, VerifierProvider> providers;

    private Verifiers() {}

    /** Creates a verifier of {@code type}; unknown types fail with the list of known ones. */
    public static Verifier create(String type, Map<String, Object> params, Path baseDir) {
        return provider(type).create(params == null ? Map.of() : params, baseDir == null ? Path.of(".") : baseDir);
    }

    /** Like {@link #create} but wrapped in a {@link CachingVerifier} holding up to {@code maxEntries} scores. */
    public static Verifier createCached(String type, Map<String, Object> params, Path baseDir, int maxEntries) {
        Map<String, Object> p = params == null ? Map.of() : params;
        return new CachingVerifier(create(type, p, baseDir), CachingVerifier.identity(type, p), maxEntries);
    }

    /** The provider of {@code type}. */
    public static VerifierProvider provider(String type) {
        VerifierProvider provider = all().get(type);
        if (provider == null) {
            throw new IllegalArgumentException("unknown verifier type '" + type + "'; known types: "
                    + String.join(", ", types()));
        }
        return provider;
    }

    /** The score revision of {@code type} with {@code params} ({@link VerifierProvider#version}); "1" for unknown types. */
    public static String version(String type, Map<String, Object> params) {
        VerifierProvider provider = all().get(type);
        return provider == null ? "1" : provider.version(params == null ? Map.of() : params);
    }

    /** The known type names, sorted. */
    public static List<String> types() {
        return List.copyOf(all().keySet());
    }

    /** True when {@code type} names a known verifier type. */
    public static boolean isType(String type) {
        return all().containsKey(type);
    }

    /** Type name to one-line description, sorted by type. */
    public static Map<String, String> descriptions() {
        Map<String, String> out = new TreeMap<>();
        all().forEach((type, provider) -> out.put(type, provider.description()));
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, VerifierProvider> all() {
        Map<String, VerifierProvider> p = providers;
        if (p == null) {
            synchronized (Verifiers.class) {
                if (providers == null) {
                    Map<String, VerifierProvider> found = new TreeMap<>();
                    for (VerifierProvider provider : ServiceLoader.load(VerifierProvider.class)) {
                        VerifierProvider previous = found.putIfAbsent(provider.type(), provider);
                        if (previous != null) {
                            throw new IllegalStateException("two verifier providers claim type '" + provider.type()
                                    + "': " + previous.getClass().getName() + " and " + provider.getClass().getName());
                        }
                    }
                    providers = Collections.unmodifiableMap(found);
                }
                p = providers;
            }
        }
        return p;
    }
}
