package org.llasalab.verifiers.wer;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.llasalab.verify.VerifierParams;

/** The ASR back-ends on the class path, by name. */
public final class AsrBackends {
    private AsrBackends() {}

    public static AsrBackend create(String name, VerifierParams params) {
        AsrBackendProvider provider = all().get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown ASR back-end '" + name + "'; known back-ends: "
                    + String.join(", ", names()));
        }
        return provider.create(params);
    }

    /** The transcript revision of back-end {@code name} ("1" for an unknown name). */
    public static String version(String name) {
        AsrBackendProvider provider = all().get(name);
        return provider == null ? "1" : provider.version();
    }

    public static List<String> names() {
        return List.copyOf(all().keySet());
    }

    private static Map<String, AsrBackendProvider> all() {
        Map<String, AsrBackendProvider> found = new TreeMap<>();
        ServiceLoader.load(AsrBackendProvider.class).forEach(p -> found.putIfAbsent(p.name(), p));
        return found;
    }
}
