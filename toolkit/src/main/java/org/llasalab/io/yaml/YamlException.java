package org.llasalab.io.yaml;

import java.util.List;

/** Every problem found in a YAML file, reported at once; the message lists them one a line. */
public class YamlException extends Exception {
    private final List<Problem> problems;

    /** {@code what} names the file's kind in the message's first line ("the experiment"). */
    public YamlException(String what, List<Problem> problems) {
        super(format(what, problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(String what, List<Problem> problems) {
        StringBuilder b = new StringBuilder();
        b.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems").append(" in ").append(what)
                .append(':');
        for (Problem p : problems) {
            b.append("\n  ").append(p);
        }
        return b.toString();
    }
}
