package org.llasalab.io.yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.llasalab.io.yaml.YamlNode.ListNode;
import org.llasalab.io.yaml.YamlNode.Location;
import org.llasalab.io.yaml.YamlNode.MapNode;
import org.llasalab.io.yaml.YamlNode.Scalar;

/**
 * Typed reading of one YAML file's {@link YamlNode} tree that collects problems instead of stopping at
 * the first: every getter takes {@code where}, the key path that messages name ({@code sampling},
 * {@code models.s}), reports a wrong type or range as a {@link Problem} at the value's line and column
 * ({@code sampling.top_k: expected an integer, found a string 'two'}) and returns a fallback, so that
 * reading goes on and every problem of the file is reported at once.
 *
 * <p>One instance per read of one file (it holds that read's problems); the readers of experiment,
 * study and training files each make one inside their {@code read}.
 */
public final class YamlFields {
    private final Path file;
    private final List<Problem> problems;

    /** Reads {@code file}'s values; problems go to {@code problems} (the tree reader's list, usually). */
    public YamlFields(Path file, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    public YamlFields(Path file) {
        this(file, new ArrayList<>());
    }

    public Path file() {
        return file;
    }

    /** The problems found so far, in file order. */
    public List<Problem> problems() {
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Problem.FILE_ORDER);
        return sorted;
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    public void problem(Location at, String message) {
        problems.add(new Problem(file, at, message));
    }

    /** Reports each key of {@code m} that is not {@code allowed}, at the key, with the allowed keys. */
    public void checkKeys(MapNode m, Set<String> allowed, String where) {
        for (String key : m.entries().keySet()) {
            if (!allowed.contains(key)) {
                problem(m.keyLocation(key), where + ": unknown key '" + key + "' (allowed: " + new TreeSet<>(allowed)
                        + ")");
            }
        }
    }

    /** The value of {@code key}; null, with a problem at the mapping, when it is missing. */
    public YamlNode require(MapNode m, String key, String where) {
        YamlNode v = m.get(key);
        if (v == null) problem(m.location(), where + ": missing key '" + key + "'");
        return v;
    }

    /** {@code node} as a mapping; null when it is null, or with a problem when it is something else. */
    public MapNode map(YamlNode node, String where) {
        if (node == null) return null;
        if (node instanceof MapNode m) return m;
        problem(node.location(), where + ": expected a mapping (key: value lines), found " + node.kind()
                + describe(node));
        return null;
    }

    /** {@code node} as a list; null when it is null, or with a problem ({@code expected} says what) otherwise. */
    public ListNode list(YamlNode node, String where, String expected) {
        if (node == null) return null;
        if (node instanceof ListNode l) return l;
        problem(node.location(), where + ": expected " + expected + ", found " + node.kind() + describe(node));
        return null;
    }

    /** A string value; null with a problem when {@code node} is not one. */
    public String string(YamlNode node, String where) {
        if (node instanceof Scalar s && s.value() instanceof String text) return text;
        problem(node.location(), where + ": expected a string, found " + node.kind() + describe(node));
        return null;
    }

    /** The string at {@code key}; null when the key is missing (or, with a problem, not a string). */
    public String optionalString(MapNode m, String key, String where) {
        YamlNode v = m.get(key);
        return v == null ? null : string(v, path(where, key));
    }

    /** The string at {@code key}, {@code dflt} when missing or null (YAML {@code ~}). */
    public String string(MapNode m, String key, String dflt, String where) {
        YamlNode v = m.get(key);
        if (v == null || isNull(v)) return dflt;
        String s = string(v, path(where, key));
        return s == null ? dflt : s;
    }

    /** An integer value; null with a problem when {@code node} is not one. */
    public Long integer(YamlNode node, String where) {
        if (node instanceof Scalar s && s.value() instanceof Long l) return l;
        problem(node.location(), where + ": expected an integer, found " + node.kind() + describe(node));
        return null;
    }

    /**
     * An integer value, also when written as a whole decimal number ({@code 4.0e6}); null with a problem
     * when {@code node} is neither.
     */
    public Long wholeNumber(YamlNode node, String where) {
        if (node instanceof Scalar s && s.value() instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9e18) {
            return d.longValue();
        }
        return integer(node, where);
    }

    /** The integer at {@code key} within [min, max]; {@code dflt} when missing, or with a problem. */
    public long integerIn(MapNode m, String key, long dflt, long min, long max, String where) {
        return inRange(m, key, dflt, min, max, where, false);
    }

    /** As {@link #integerIn}, also taking whole decimal numbers ({@link #wholeNumber}); null counts as missing. */
    public long wholeNumberIn(MapNode m, String key, long dflt, long min, long max, String where) {
        return inRange(m, key, dflt, min, max, where, true);
    }

    private long inRange(MapNode m, String key, long dflt, long min, long max, String where, boolean whole) {
        YamlNode v = m.get(key);
        if (v == null || whole && isNull(v)) return dflt;
        Long l = whole ? wholeNumber(v, path(where, key)) : integer(v, path(where, key));
        if (l == null) return dflt;
        if (l < min || l > max) {
            problem(v.location(), path(where, key) + ": " + l + " is out of range [" + min + ", " + max + "]");
            return dflt;
        }
        return l;
    }

    /** The number at {@code key} within [min, max]; {@code dflt} when missing, or with a problem. */
    public double number(MapNode m, String key, double dflt, double min, double max, String where) {
        YamlNode v = m.get(key);
        if (v == null) return dflt;
        if (v instanceof Scalar s && s.value() instanceof Number n) {
            double d = n.doubleValue();
            if (!(d >= min && d <= max)) {
                problem(v.location(), path(where, key) + ": " + s.text() + " is out of range");
                return dflt;
            }
            return d;
        }
        problem(v.location(), path(where, key) + ": expected a number, found " + v.kind() + describe(v));
        return dflt;
    }

    /** A boolean value; {@code dflt} with a problem when {@code node} is not one. */
    public boolean bool(YamlNode node, String where, boolean dflt) {
        if (node instanceof Scalar s && s.value() instanceof Boolean b) return b;
        problem(node.location(), where + ": expected true or false, found " + node.kind() + describe(node));
        return dflt;
    }

    /** The boolean at {@code key}; {@code dflt} when missing or null, or with a problem. */
    public boolean bool(MapNode m, String key, boolean dflt, String where) {
        YamlNode v = m.get(key);
        return v == null || isNull(v) ? dflt : bool(v, path(where, key), dflt);
    }

    /** The key path of {@code key} in the mapping at {@code where} ({@code where} empty: the top level). */
    public static String path(String where, String key) {
        return where.isEmpty() ? key : where + "." + key;
    }

    /** A mapping as plain Java values (maps, lists, scalars), locations dropped. */
    public static Map<String, Object> plain(MapNode m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) m.toPlain();
        return plain;
    }

    /** YAML {@code null}, {@code ~} or an empty value. */
    public static boolean isNull(YamlNode node) {
        return node instanceof Scalar s && s.value() == null;
    }

    /** The scalar as written, quoted, for messages ({@code  'sixteen'}); empty for other nodes. */
    public static String describe(YamlNode node) {
        return node instanceof Scalar s && s.text() != null && !s.text().isEmpty() ? " '" + s.text() + "'" : "";
    }
}
