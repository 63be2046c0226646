package org.llasalab.verify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Typed access to a verifier's YAML parameters, with errors that name the verifier and the parameter,
 * and model-file checks that name the file.
 */
public final class VerifierParams {
    private final String owner;
    private final Map<String, Object> params;
    private final Path baseDir;

    /** {@code owner} names the verifier in error messages (e.g. {@code "wer"}). */
    public VerifierParams(String owner, Map<String, Object> params, Path baseDir) {
        this.owner = owner;
        this.params = params == null ? Map.of() : params;
        this.baseDir = baseDir == null ? Path.of(".") : baseDir;
    }

    public Map<String, Object> raw() {
        return params;
    }

    public Path baseDir() {
        return baseDir;
    }

    public boolean has(String key) {
        return params.get(key) != null;
    }

    public String string(String key) {
        Object v = params.get(key);
        if (v == null) {
            throw new IllegalArgumentException(owner + ": missing parameter '" + key + "'");
        }
        return v.toString();
    }

    public String string(String key, String fallback) {
        Object v = params.get(key);
        return v == null ? fallback : v.toString();
    }

    public double number(String key, double fallback) {
        Object v = params.get(key);
        if (v == null) return fallback;
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(owner + ": parameter '" + key + "' must be a number, got '" + v + "'");
        }
    }

    public int integer(String key, int fallback) {
        double d = number(key, fallback);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(owner + ": parameter '" + key + "' must be an integer, got '"
                    + params.get(key) + "'");
        }
        return (int) d;
    }

    public boolean flag(String key, boolean fallback) {
        Object v = params.get(key);
        if (v == null) return fallback;
        if (v instanceof Boolean b) return b;
        return switch (v.toString().trim().toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(owner + ": parameter '" + key + "' must be true or false, got '"
                    + v + "'");
        };
    }

    /** One of {@code allowed} (case-insensitive, returned in lower case). */
    public String choice(String key, String fallback, List<String> allowed) {
        String v = string(key, fallback);
        if (v == null) {
            throw new IllegalArgumentException(owner + ": missing parameter '" + key + "' (one of " + allowed + ")");
        }
        String lower = v.trim().toLowerCase();
        if (!allowed.contains(lower)) {
            throw new IllegalArgumentException(owner + ": parameter '" + key + "' must be one of " + allowed + ", got '"
                    + v + "'");
        }
        return lower;
    }

    /** A list of strings: a YAML list or a comma-separated string. */
    public List<String> strings(String key) {
        Object v = params.get(key);
        if (v == null) {
            throw new IllegalArgumentException(owner + ": missing parameter '" + key + "'");
        }
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(v.toString().split("\\s*,\\s*"));
    }

    /**
     * An existing, readable model file named by parameter {@code key}, resolved against the base
     * directory; fails naming the file when it is missing, a directory or unreadable.
     */
    public Path modelFile(String key) {
        Path file = baseDir.resolve(string(key)).normalize();
        return requireReadableFile(owner, key, file);
    }

    /** Checks that {@code file} is a readable regular file; fails naming it otherwise. */
    public static Path requireReadableFile(String owner, String key, Path file) {
        String what = owner + ": model file " + file + " (parameter '" + key + "')";
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(what + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(what + " is not readable");
        }
        return file;
    }
}
