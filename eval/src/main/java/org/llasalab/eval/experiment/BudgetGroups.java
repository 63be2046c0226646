package org.llasalab.eval.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups the cells that one search can serve together: best-of-N cells of the same model, strategy and
 * seed whose budget sets {@code n} and whose strategy reads smaller budgets off the first k candidates
 * of one run ({@code reuse_prefixes}, true unless set to false). Budgets {1, 2, 4, 8} then cost 8
 * candidates per utterance instead of 15. Every other cell is a group of its own.
 */
public final class BudgetGroups {
    static final String BEST_OF_N = "best_of_n";
    static final String REUSE_PREFIXES = "reuse_prefixes";

    private BudgetGroups() {}

    /**
     * The groups of {@code cells}, each in ascending budget order (its last cell, the largest budget, is
     * the one to open), ordered by the position of their first cell.
     */
    public static List<List<Cell>> of(List<Cell> cells) {
        record Key(String model, String strategy, long seed) {}
        Map<Object, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : cells) {
            Object key = sharesRuns(c) ? new Key(c.model().name(), c.strategy().name(), c.seed()) : c;
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        List<List<Cell>> out = new ArrayList<>();
        for (List<Cell> g : groups.values()) {
            g.sort(Comparator.comparingInt(Cell::budget));
            out.add(List.copyOf(g));
        }
        return out;
    }

    /** Each cell a group of its own. */
    public static List<List<Cell>> single(List<Cell> cells) {
        return cells.stream().map(List::of).toList();
    }

    /** True when {@code cell}'s budget is the N of a best-of-N strategy that reuses candidate prefixes. */
    public static boolean sharesRuns(Cell cell) {
        Experiment.StrategySpec s = cell.strategy();
        return BEST_OF_N.equals(s.type()) && "n".equals(s.budgetParameter())
                && !Boolean.FALSE.equals(s.params().get(REUSE_PREFIXES));
    }
}
