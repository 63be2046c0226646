package org.llasalab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The toolkit's packages form layers, and a package may use only its own layer and the ones below:
 * every mention of an {@code org.llasalab.X} package in toolkit/src/main (imports, static imports,
 * fully-qualified names in code and in javadoc links) is checked against {@link #LAYERS}.
 */
class PackageLayersTest {
    /** Top-level toolkit package to layer, lowest first; sub-packages (codec.micro, lm.prompt, cli.*) share it. */
    static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("tensor", 0), Map.entry("io", 0), Map.entry("verify", 0),
            Map.entry("dsp", 1),
            Map.entry("codec", 2),
            Map.entry("lm", 3),
            Map.entry("search", 4),
            Map.entry("microworld", 5), Map.entry("train", 5),
            Map.entry("cli", 6));

    /**
     * Known upward references, "file (relative to src/main/java) -> package". Each must still occur,
     * so that it is deleted here when the code is fixed.
     */
    static final Set<String> KNOWN = Set.of();

    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.llasalab\\.([a-z][a-z0-9_]*)");

    @Test
    void noToolkitPackageReachesAHigherLayer() throws IOException {
        Path root = Path.of(System.getProperty("llasa.home", ".."), "toolkit", "src", "main", "java");
        assertTrue(Files.isDirectory(root), root + " is not a directory");
        List<String> problems = new ArrayList<>();
        Set<String> seenKnown = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(files.size() > 100, "only " + files.size() + " sources under " + root);
        for (Path file : files) {
            String rel = root.relativize(file).toString().replace('\\', '/');
            for (Violation v : violations(rel, Files.readString(file, StandardCharsets.UTF_8))) {
                String key = rel + " -> " + v.target();
                if (KNOWN.contains(key)) seenKnown.add(key);
                else problems.add(v.toString());
            }
        }
        for (String k : KNOWN) {
            if (!seenKnown.contains(k)) problems.add("known exception '" + k + "' no longer occurs: delete it from KNOWN");
        }
        if (!problems.isEmpty()) fail("package layering broken:\n  " + String.join("\n  ", problems));
    }

    @Test
    void theCheckSeesImportsAndQualifiedNamesButNotItsOwnLayerOrLower() {
        String source = """
                package org.llasalab.lm.prompt;

                import org.llasalab.codec.Codec;
                import org.llasalab.microworld.MicroTextFrontEnd;
                import static org.llasalab.search.Seeds.derive;
                /** See {@link org.llasalab.cli.Main}. */
                class X { Object o = org.llasalab.train.Trainer.class; org.llasalab.lm.Rope r; }
                """;
        List<String> found = violations("org/llasalab/lm/prompt/X.java", source).stream().map(Violation::toString).toList();
        assertEquals(List.of(
                "org/llasalab/lm/prompt/X.java:4: lm (layer 3) uses microworld (layer 5)",
                "org/llasalab/lm/prompt/X.java:5: lm (layer 3) uses search (layer 4)",
                "org/llasalab/lm/prompt/X.java:6: lm (layer 3) uses cli (layer 6)",
                "org/llasalab/lm/prompt/X.java:7: lm (layer 3) uses train (layer 5)"), found);
        assertEquals(List.of("org/llasalab/newpkg/Y.java:1: package newpkg is not in the layer table"),
                violations("org/llasalab/newpkg/Y.java", "package org.llasalab.newpkg;").stream()
                        .map(Violation::toString).toList());
    }

    record Violation(String file, int line, String from, String target, String problem) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + problem;
        }
    }

    /** The upward references in one source file ({@code rel}: its path below src/main/java). */
    static List<Violation> violations(String rel, String source) {
        String[] parts = rel.split("/");
        String from = parts.length > 3 ? parts[2] : "";
        List<Violation> out = new ArrayList<>();
        Integer own = LAYERS.get(from);
        if (own == null) {
            out.add(new Violation(rel, 1, from, from, "package " + from + " is not in the layer table"));
            return out;
        }
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = REFERENCE.matcher(lines[i]);
            while (m.find()) {
                String target = m.group(1);
                Integer layer = LAYERS.get(target);
                if (layer == null) {
                    out.add(new Violation(rel, i + 1, from, target, "package " + target + " is not in the layer table"));
                } else if (layer > own) {
                    out.add(new Violation(rel, i + 1, from, target,
                            from + " (layer " + own + ") uses " + target + " (layer " + layer + ")"));
                }
            }
        }
        return out;
    }
}
