package org.llasalab.io.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.io.yaml.YamlNode.ListNode;
import org.llasalab.io.yaml.YamlNode.Location;
import org.llasalab.io.yaml.YamlNode.MapNode;
import org.llasalab.io.yaml.YamlNode.Scalar;

/**
 * Reads YAML with Jackson's streaming parser into a {@link YamlNode} tree, keeping the location of
 * every node and key. Syntax errors and duplicate keys become {@link Problem}s with the file, line and
 * column; {@link YamlFields} then reads typed values from the tree.
 */
public final class YamlTree {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {}

    /** Reads {@code file}; syntax errors and duplicate keys fail with every problem found. */
    public static YamlNode read(Path file) throws YamlException {
        List<Problem> problems = new ArrayList<>();
        YamlNode root = read(file, problems);
        if (!problems.isEmpty()) throw new YamlException("the YAML file", problems);
        return root;
    }

    /**
     * Reads {@code file}, adding problems that still leave a usable tree (duplicate keys) to
     * {@code problems}; fails at once on what leaves none (missing file, syntax error).
     */
    public static YamlNode read(Path file, List<Problem> problems) throws YamlException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw fatal(List.of(new Problem(file, null, "file not found")));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw fatal(List.of(new Problem(file, null, "not UTF-8 text")));
        } catch (IOException e) {
            throw fatal(List.of(new Problem(file, null, "cannot read: " + e.getMessage())));
        }
        return parse(file, text, problems);
    }

    public static YamlNode parse(Path file, String text, List<Problem> problems) throws YamlException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw fatal(List.of(new Problem(file, new Location(1, 1), "the file is empty")));
            }
            return readValue(parser, file, problems);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            Location location = at == null ? null : new Location(at.getLineNr(), at.getColumnNr());
            throw fatal(List.of(
                    new Problem(file, location, "YAML syntax error: " + firstLine(e.getOriginalMessage()))));
        } catch (IOException e) {
            throw fatal(List.of(new Problem(file, null, "cannot parse: " + e.getMessage())));
        }
    }

    private static YamlNode readValue(JsonParser parser, Path file, List<Problem> problems) throws IOException {
        Location location = location(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, Location> keys = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    Location keyLocation = location(parser.currentTokenLocation());
                    parser.nextToken();
                    YamlNode value = readValue(parser, file, problems);
                    if (entries.containsKey(key)) {
                        problems.add(new Problem(file, keyLocation, "duplicate key '" + key + "' (first at line "
                                + keys.get(key).line() + ")"));
                        continue;
                    }
                    entries.put(key, value);
                    keys.put(key, keyLocation);
                }
                return new MapNode(entries, keys, location);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, file, problems));
                }
                return new ListNode(items, location);
            }
            case VALUE_STRING -> {
                return new Scalar(parser.getText(), parser.getText(), location);
            }
            case VALUE_NUMBER_INT -> {
                String text = parser.getText();
                Object value = parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) parser.getDoubleValue() : (Object) parser.getLongValue();
                return new Scalar(value, text, location);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Scalar(parser.getDoubleValue(), parser.getText(), location);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(token == JsonToken.VALUE_TRUE, parser.getText(), location);
            }
            case VALUE_NULL -> {
                return new Scalar(null, parser.getText(), location);
            }
            default -> throw new IOException("unexpected YAML token " + token);
        }
    }

    private static YamlException fatal(List<Problem> problem) {
        return new YamlException("the YAML file", problem);
    }

    private static Location location(JsonLocation at) {
        return new Location(at.getLineNr(), at.getColumnNr());
    }

    private static String firstLine(String message) {
        if (message == null) return "malformed YAML";
        int nl = message.indexOf('\n');
        return nl < 0 ? message.strip() : message.substring(0, nl).strip();
    }
}
