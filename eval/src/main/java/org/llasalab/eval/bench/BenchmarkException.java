package org.llasalab.eval.bench;

import java.nio.file.Path;
import java.util.List;

/** A benchmark list that cannot be used: malformed lines or missing audio, all named together. */
public final class BenchmarkException extends IllegalArgumentException {
    private final List<String> problems;

    public BenchmarkException(Path list, List<String> problems) {
        super(format(list, problems));
        this.problems = List.copyOf(problems);
    }

    /** One entry per problem, e.g. {@code "line 3: expected 4 or 5 '|'-separated fields, found 2"}. */
    public List<String> problems() {
        return problems;
    }

    private static String format(Path list, List<String> problems) {
        StringBuilder sb = new StringBuilder();
        sb.append(list).append(": ").append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
        int shown = Math.min(problems.size(), 50);
        for (int i = 0; i < shown; i++) {
            sb.append(System.lineSeparator()).append("  ").append(org.llasalab.io.Printable.of(problems.get(i)));
        }
        if (shown < problems.size()) {
            sb.append(System.lineSeparator()).append("  ... and ").append(problems.size() - shown).append(" more");
        }
        return sb.toString();
    }
}
