package org.llasalab.io.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llasalab.io.yaml.YamlNode.MapNode;

/** The shared YAML field reader: every problem collected with its file, place, key path and what was expected. */
class YamlFieldsTest {
    private static final Path FILE = Path.of("settings.yaml");

    private static MapNode tree(String yaml, List<Problem> problems) throws YamlException {
        return (MapNode) YamlTree.parse(FILE, yaml, problems);
    }

    @Test
    void readsTypedValuesWithTheirDefaults() throws Exception {
        List<Problem> problems = new ArrayList<>();
        MapNode top = tree("""
                run:
                  name: small
                  steps: 40
                  whole: 4.0e3
                  rate: 0.5
                  quiet: true
                  empty: ~
                """, problems);
        YamlFields f = new YamlFields(FILE, problems);
        MapNode run = f.map(top.get("run"), "run");
        f.checkKeys(run, Set.of("name", "steps", "whole", "rate", "quiet", "empty"), "run");
        assertEquals("small", f.string(run, "name", null, "run"));
        assertEquals("x", f.string(run, "empty", "x", "run"), "null is the default");
        assertEquals(40, f.integerIn(run, "steps", 1, 1, 100, "run"));
        assertEquals(7, f.integerIn(run, "missing", 7, 1, 100, "run"));
        assertEquals(4000, f.wholeNumberIn(run, "whole", 1, 1, 10_000, "run"));
        assertEquals(0.5, f.number(run, "rate", 1, 0, 1, "run"));
        assertTrue(f.bool(run, "quiet", false, "run"));
        assertFalse(f.hasProblems(), f.problems().toString());
    }

    @Test
    void everyProblemIsCollectedInFileOrderWithItsKeyPathAndWhatWasExpected() throws Exception {
        List<Problem> problems = new ArrayList<>();
        MapNode top = tree("""
                run:
                  steps: many
                  whole: 4.5
                  rate: 2
                  quiet: maybe
                  stesp: 4
                other: [1, 2]
                """, problems);
        YamlFields f = new YamlFields(FILE, problems);
        assertNull(f.map(top.get("other"), "other"));
        MapNode run = f.map(top.get("run"), "run");
        assertEquals(1, f.integerIn(run, "steps", 1, 1, 100, "run"), "the default after a problem");
        f.wholeNumberIn(run, "whole", 1, 1, 100, "run");
        f.number(run, "rate", 1, 0, 1, "run");
        f.bool(run, "quiet", false, "run");
        f.checkKeys(run, Set.of("steps", "whole", "rate", "quiet"), "run");
        assertNull(f.require(run, "name", "run"));
        List<String> seen = f.problems().stream().map(Problem::toString).toList();
        assertEquals(List.of(
                "settings.yaml:2:3: run: missing key 'name'",
                "settings.yaml:2:10: run.steps: expected an integer, found a string 'many'",
                "settings.yaml:3:10: run.whole: expected an integer, found a number '4.5'",
                "settings.yaml:4:9: run.rate: 2 is out of range",
                "settings.yaml:5:10: run.quiet: expected true or false, found a string 'maybe'",
                "settings.yaml:6:3: run: unknown key 'stesp' (allowed: [quiet, rate, steps, whole])",
                "settings.yaml:7:8: other: expected a mapping (key: value lines), found a list"), seen);
    }

    @Test
    void topLevelKeysAreNamedWithoutAPrefix() throws Exception {
        List<Problem> problems = new ArrayList<>();
        MapNode top = tree("threads: 0\n", problems);
        YamlFields f = new YamlFields(FILE, problems);
        assertEquals(1, f.integerIn(top, "threads", 1, 1, 8, ""));
        assertEquals("threads: 0 is out of range [1, 8]", f.problems().getFirst().message());
    }

    @Test
    void syntaxErrorsAndDuplicateKeysNameTheirLine() throws Exception {
        YamlException e = assertThrows(YamlException.class, () -> tree("a: {b: 1\n", new ArrayList<>()));
        assertTrue(e.problems().getFirst().message().startsWith("YAML syntax error"), e.getMessage());
        List<Problem> problems = new ArrayList<>();
        tree("a: 1\nb: 2\na: 3\n", problems);
        assertEquals("settings.yaml:3:1: duplicate key 'a' (first at line 1)", problems.getFirst().toString());
    }
}
