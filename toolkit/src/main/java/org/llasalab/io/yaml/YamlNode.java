package org.llasalab.io.yaml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into a tree that remembers where every node and key came from, so that
 * validation can name the line and column of each problem.
 */
public sealed interface YamlNode {
    /** A place in the YAML file (1-based line and column). */
    record Location(int line, int column) {
        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    Location location();

    /** A short name of the node's kind for error messages ("a mapping", "a list", "a number"). */
    String kind();

    /** A mapping; keys in file order, each with the location of the key itself. */
    record MapNode(Map<String, YamlNode> entries, Map<String, Location> keyLocations, Location location)
            implements YamlNode {
        public MapNode {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            keyLocations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keyLocations));
        }

        public YamlNode get(String key) {
            return entries.get(key);
        }

        public Location keyLocation(String key) {
            return keyLocations.getOrDefault(key, location);
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    record ListNode(List<YamlNode> items, Location location) implements YamlNode {
        public ListNode {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar: {@code value} is a String, Long, Double, Boolean or null (YAML {@code null} / {@code ~}
     * / empty); {@code text} is the scalar as written.
     */
    record Scalar(Object value, String text, Location location) implements YamlNode {
        @Override
        public String kind() {
            if (value == null) return "null";
            if (value instanceof Boolean) return "a boolean";
            if (value instanceof Long || value instanceof Double) return "a number";
            return "a string";
        }
    }

    /** This node as plain Java objects (maps, lists, scalars), locations dropped. */
    default Object toPlain() {
        return switch (this) {
            case MapNode m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.entries().forEach((k, v) -> out.put(k, v.toPlain()));
                yield out;
            }
            case ListNode l -> l.items().stream().map(YamlNode::toPlain).toList();
            case Scalar s -> s.value();
        };
    }
}
