package org.llasalab.eval.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.llasalab.io.yaml.YamlFields;
import org.llasalab.io.yaml.YamlNode.Location;

/**
 * Resolves the paths that experiment and study files name, in one place: {@code ${VAR}} and
 * {@code ${VAR:-default}} expand environment variables, relative paths resolve against the folder of the
 * file that names them, a model or codec is a catalogue short name or a folder, and a missing one is
 * reported with what to download ({@code source}) and where.
 *
 * @param baseDir the folder of the YAML file that names the paths
 * @param env looks up environment variables; null: paths are taken literally (no expansion)
 * @param environment the catalogues of models and codecs
 */
public record PathResolver(Path baseDir, Function<String, String> env, Environment environment) {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    /** What a name stands for: a model folder (with a config.json) or a codec folder. */
    public enum Kind {
        MODEL("model", " (the micro world lists its models once they are trained)"),
        CODEC("codec", "");

        private final String noun;
        private final String catalogueNote;

        Kind(String noun, String catalogueNote) {
            this.noun = noun;
            this.catalogueNote = catalogueNote;
        }

        Map<String, Path> catalogue(Environment environment) {
            return this == MODEL ? environment.models() : environment.codecs();
        }
    }

    /** A located model or codec: its folder, and why it is not usable (null: it is, or it is catalogued). */
    public record Located(Path dir, String problem) {}

    /** A model's folder ({@code where}: the model, e.g. {@code models.s}; messages name {@code where.path}). */
    public Path model(String raw, String source, Location at, String where, YamlFields fields) {
        return checked(Kind.MODEL, raw, source, at, where + ".path", fields);
    }

    /** A codec's folder ({@code where}: the model that names it; messages name {@code where.codec}). */
    public Path codec(String raw, String source, Location at, String where, YamlFields fields) {
        return checked(Kind.CODEC, raw, source, at, where + ".codec", fields);
    }

    private Path checked(Kind kind, String raw, String source, Location at, String where, YamlFields fields) {
        Path known = kind.catalogue(environment).get(raw);
        if (known != null) return known;
        Path dir = resolve(raw, at, where, fields);
        if (dir == null) return null;
        String problem = problem(kind, raw, dir, source);
        if (problem != null) fields.problem(at, where + ": " + problem);
        return dir;
    }

    /**
     * A model or codec named in a file without locations of its own (a training YAML's {@code data.codec}):
     * the catalogue entry, or the folder relative to {@link #baseDir}, with why that folder is not usable.
     */
    public Located locate(Kind kind, String raw, String source) {
        Path known = kind.catalogue(environment).get(raw);
        if (known != null) return new Located(known, null);
        String expanded = env == null ? raw : expand(raw, name -> {});
        if (expanded == null) return new Located(null, "'" + raw + "' names an environment variable that is not set");
        Path dir = absolute(expanded);
        return new Located(dir, problem(kind, raw, dir, source));
    }

    /** Why {@code dir} (named {@code raw}) is not a usable folder of {@code kind}; null when it is. */
    private String problem(Kind kind, String raw, Path dir, String source) {
        if (!Files.isDirectory(dir)) {
            boolean shortName = !raw.contains("/") && !raw.contains("\\") && source == null;
            return shortName ? "'" + raw + "' is neither a catalogue " + kind.noun + " "
                    + kind.catalogue(environment).keySet() + kind.catalogueNote + " nor a " + kind.noun + " folder ("
                    + dir + ")" : kind.noun + " folder " + dir + " not found" + download(source);
        }
        if (kind == Kind.MODEL && !Files.isRegularFile(dir.resolve("config.json"))) {
            return dir + " is not a model folder (no config.json)" + download(source);
        }
        return null;
    }

    /** What to do about a missing download from {@code source} (empty when the file names no source). */
    public static String download(String source) {
        return source == null ? ""
                : "; download " + source + " there (e.g. `huggingface-cli download " + source
                        + " --local-dir <that folder>`), or set LLASA_MODELS to the folder that holds it";
    }

    /** {@code raw} expanded and resolved against {@link #baseDir}; null, with a problem, when a variable is unset. */
    public Path resolve(String raw, Location at, String where, YamlFields fields) {
        String expanded = expand(raw, at, where, fields);
        return expanded == null ? null : absolute(expanded);
    }

    private Path absolute(String path) {
        Path p = Path.of(path);
        return (p.isAbsolute() ? p : baseDir.resolve(p)).normalize();
    }

    /** {@code raw} with its variables expanded; null, with a problem per unset variable without a default. */
    public String expand(String raw, Location at, String where, YamlFields fields) {
        if (env == null) return raw;
        return expand(raw, name -> fields.problem(at, where + ": environment variable " + name
                + " is not set (write ${" + name + ":-default} to give a default)"));
    }

    private String expand(String raw, java.util.function.Consumer<String> unset) {
        Matcher m = VARIABLE.matcher(raw);
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null || value.isEmpty()) value = m.group(2);
            if (value == null) {
                unset.accept(m.group(1));
                ok = false;
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return ok ? out.toString() : null;
    }
}
