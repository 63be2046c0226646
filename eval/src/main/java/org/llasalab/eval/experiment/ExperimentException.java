package org.llasalab.eval.experiment;

import java.util.List;

/** Every problem found in an experiment file, reported at once before any work starts. */
public final class ExperimentException extends Exception {
    private final List<Problem> problems;

    public ExperimentException(List<Problem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(List<Problem> problems) {
        StringBuilder b = new StringBuilder();
        b.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems").append(" in the experiment:");
        for (Problem p : problems) {
            b.append("\n  ").append(p);
        }
        return b.toString();
    }
}
