package org.llasalab.microworld;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Raw English text from installed Debian packages: WordNet usage examples ({@code wordnet-base}),
 * fortunes ({@code fortunes}, {@code fortunes-min}; the offensive ones live in a separate package and
 * folder that is never read) and GCIDE quotations ({@code dict-gcide}). Each source yields passages
 * that {@link SentencePool} splits into sentences. A source whose files are missing is skipped.
 */
public final class TextSources {
    public static final Path WORDNET = Path.of("/usr/share/wordnet");
    public static final Path FORTUNES = Path.of("/usr/share/games/fortunes");
    public static final Path GCIDE = Path.of("/usr/share/dictd/gcide.dict.dz");

    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    private static final Pattern INLINE_QUOTE = Pattern.compile("\"([^\"]{10,400})\"\\s*--");

    private TextSources() {}

    /** Names of the sources found on this machine. */
    public static List<String> available() {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(WORDNET)) names.add("wordnet");
        if (Files.isDirectory(FORTUNES)) names.add("fortunes");
        if (Files.isRegularFile(GCIDE)) names.add("gcide");
        return names;
    }

    /** Feeds every passage of the named source to {@code sink}. */
    public static void read(String source, Consumer<String> sink) throws IOException {
        switch (source) {
            case "wordnet" -> wordnet(sink);
            case "fortunes" -> fortunes(sink);
            case "gcide" -> gcide(sink);
            default -> throw new IllegalArgumentException("unknown text source '" + source + "' (known: wordnet, fortunes, gcide)");
        }
    }

    /** Usage examples: the double-quoted parts of the glosses in data.{noun,verb,adj,adv}. */
    static void wordnet(Consumer<String> sink) throws IOException {
        for (String pos : List.of("noun", "verb", "adj", "adv")) {
            Path file = WORDNET.resolve("data." + pos);
            if (!Files.isRegularFile(file)) continue;
            try (Stream<String> lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
                lines.filter(l -> !l.startsWith("  ")).forEach(line -> {
                    int bar = line.indexOf(" | ");
                    if (bar < 0) return;
                    Matcher m = QUOTED.matcher(line.substring(bar + 3));
                    while (m.find()) sink.accept(m.group(1));
                });
            }
        }
    }

    /** Fortune cookies (files without an extension, separated by lines of '%'), attributions dropped. */
    static void fortunes(Consumer<String> sink) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(FORTUNES)) {
            files = list.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().contains("."))
                    .sorted().toList();
        }
        for (Path file : files) {
            StringBuilder cookie = new StringBuilder();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.equals("%")) {
                    sink.accept(cookie.toString());
                    cookie.setLength(0);
                } else if (!line.trim().startsWith("--") && !line.trim().startsWith("- ")) {
                    cookie.append(line.trim()).append(' ');
                }
            }
            if (!cookie.isEmpty()) sink.accept(cookie.toString());
        }
    }

    /**
     * GCIDE quotations: inline ones ({@code "..." --Author}) and indented blocks (lines indented by 9
     * or more spaces) whose last line carries the {@code --Author} attribution.
     */
    static void gcide(Consumer<String> sink) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(GCIDE), 1 << 16)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder block = new StringBuilder();
            for (String line : text.split("\n")) {
                boolean indented = line.startsWith("         ") && !line.isBlank();
                if (indented) {
                    String t = line.trim();
                    int dash = t.indexOf("--");
                    if (dash >= 0) {
                        block.append(t, 0, dash);
                        sink.accept(block.toString());
                        block.setLength(0);
                    } else {
                        block.append(t).append(' ');
                    }
                } else {
                    block.setLength(0);
                }
            }
            Matcher m = INLINE_QUOTE.matcher(text.replace('\n', ' ').replaceAll(" {2,}", " "));
            while (m.find()) sink.accept(m.group(1));
        }
    }
}
