package org.llasalab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The eval module's packages in layers, lowest first; a package may use its own layer and the ones below, and no
 * two packages use each other (directly or round a loop). The references counted are the code's, not its comments':
 * imports and fully qualified names ({@code org.llasalab.eval.run.RunClock.FILE} in a method body counts too).
 */
class PackageLayersTest {
    /** Lowest first: the layer order of the developers' guide. */
    static final List<Set<String>> LAYERS = List.of(
            Set.of("io", "stats", "signal", "audio", "html", "bench"),
            Set.of("experiment"), // the spec: Experiment, Cell, ResultsFolder, the reader
            Set.of("score", "results"),
            Set.of("charts"),
            Set.of("run", "trainscaling", "cluster"),
            Set.of("cli"));

    private static final Path SOURCES = Path.of(System.getProperty("llasa.home", ".."), "eval", "src", "main", "java",
            "org", "llasalab", "eval");
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.llasalab\\.eval\\.([a-z][a-z0-9_]*)\\b");

    @Test
    void everyPackageUsesOnlyItsLayerAndTheOnesBelow() throws IOException {
        Map<String, Set<String>> uses = uses(sources());
        assertTrue(uses.keySet().containsAll(List.of("experiment", "results", "charts", "run", "cli")),
                "scanned " + SOURCES + ": " + uses.keySet());
        assertEquals(List.of(), upward(uses));
    }

    @Test
    void noImportCycleBetweenPackages() throws IOException {
        assertEquals(List.of(), cycles(uses(sources())));
    }

    /** The checks themselves: they see an upward import and a loop, and not what a comment names. */
    @Test
    void theChecksFindAnUpwardUseAndALoopButNotAComment() {
        Map<String, String> files = Map.of(
                "results/ResultTables.java", """
                        package org.llasalab.eval.results;
                        import org.llasalab.eval.experiment.Cell; // fine: experiment is below
                        /** {@link org.llasalab.eval.cli.RunCommand} in a comment is no use */
                        class ResultTables { String s = "org.llasalab.eval.cli"; }
                        """,
                "results/Report.java", """
                        package org.llasalab.eval.results;
                        class Report { String t = org.llasalab.eval.run.RunClock.readFormatted(null); }
                        """,
                "html/HtmlReport.java", "package org.llasalab.eval.html;\nimport org.llasalab.eval.score.ScoreTable;\n",
                "score/EvalJob.java", "package org.llasalab.eval.score;\nimport org.llasalab.eval.html.HtmlReport;\n",
                "experiment/Cell.java", "package org.llasalab.eval.experiment;\n");
        Map<String, Set<String>> uses = uses(files);
        assertEquals(Set.of("experiment", "run"), uses.get("results"));
        assertEquals(List.of("html -> score (layer 1 uses layer 3)", "results -> run (layer 3 uses layer 5)"),
                upward(uses));
        assertEquals(List.of("html -> score -> html"), cycles(uses));
        assertEquals(List.of("nope: in no layer (add it to LAYERS)"), upward(Map.of("nope", Set.of())));
    }

    /** Path (relative to {@link #SOURCES}) -> source text of every main class of the module. */
    private static Map<String, String> sources() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                out.put(SOURCES.relativize(f).toString().replace('\\', '/'), Files.readString(f));
            }
        }
        return out;
    }

    /** Package -> the other eval packages its code refers to; a file's package is its folder under eval. */
    static Map<String, Set<String>> uses(Map<String, String> sources) {
        Map<String, Set<String>> uses = new TreeMap<>();
        sources.forEach((file, text) -> {
            String pkg = file.contains("/") ? file.substring(0, file.indexOf('/')) : "";
            Set<String> mine = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(code(text));
            while (m.find()) {
                if (!m.group(1).equals(pkg)) mine.add(m.group(1));
            }
        });
        return uses;
    }

    /** Every use of a package in a higher layer, as "from -> to (layer i uses layer j)", counted from 1. */
    static List<String> upward(Map<String, Set<String>> uses) {
        List<String> out = new ArrayList<>();
        uses.forEach((from, tos) -> {
            int lf = layer(from);
            if (lf < 0) {
                out.add(from + ": in no layer (add it to LAYERS)");
                return;
            }
            for (String to : tos) {
                int lt = layer(to);
                if (lt > lf || lt < 0) {
                    out.add(from + " -> " + to + (lt < 0 ? " (in no layer)"
                            : " (layer " + (lf + 1) + " uses layer " + (lt + 1) + ")"));
                }
            }
        });
        return out;
    }

    /** Every loop of uses, each once, as "a -> b -> ... -> a" starting at its alphabetically first package. */
    static List<String> cycles(Map<String, Set<String>> uses) {
        Set<String> out = new TreeSet<>();
        for (String start : uses.keySet()) walk(start, new ArrayList<>(List.of(start)), uses, out);
        return new ArrayList<>(out);
    }

    private static void walk(String start, List<String> path, Map<String, Set<String>> uses, Set<String> out) {
        for (String next : uses.getOrDefault(path.getLast(), Set.of())) {
            if (next.equals(start)) {
                out.add(String.join(" -> ", path) + " -> " + start);
            } else if (!path.contains(next) && next.compareTo(start) > 0) { // a loop is found from its smallest package
                path.add(next);
                walk(start, path, uses, out);
                path.removeLast();
            }
        }
    }

    private static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) return i;
        }
        return -1;
    }

    /** The source with its comments and string, character and text-block literals blanked out. */
    static String code(String source) {
        StringBuilder b = new StringBuilder(source.length());
        int i = 0, n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') i++;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                b.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') end = source.indexOf("\"\"\"", end + 1);
                i = end < 0 ? n : end + 3;
                b.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') j += source.charAt(j) == '\\' ? 2 : 1;
                i = Math.min(n, j + 1);
                b.append(c).append(c);
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
