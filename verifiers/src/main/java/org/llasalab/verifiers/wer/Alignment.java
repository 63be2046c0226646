package org.llasalab.verifiers.wer;

import java.util.ArrayList;
import java.util.List;

/**
 * Levenshtein alignment of a hypothesis sequence to a reference sequence with unit costs. Among
 * alignments of minimal cost, the backtrace prefers matches and substitutions, then deletions, then
 * insertions, which is the usual convention of WER tools.
 */
public final class Alignment {
    /** One step of the alignment. */
    public enum Op { MATCH, SUBSTITUTE, DELETE, INSERT }

    private Alignment() {}

    /** Word or character counts of the cheapest alignment. */
    public static <T> EditCounts count(List<T> reference, List<T> hypothesis) {
        int s = 0, d = 0, i = 0;
        for (Op op : align(reference, hypothesis)) {
            switch (op) {
                case SUBSTITUTE -> s++;
                case DELETE -> d++;
                case INSERT -> i++;
                case MATCH -> { }
            }
        }
        return new EditCounts(s, d, i, reference.size());
    }

    /** The operations of the cheapest alignment, in reading order. */
    public static <T> List<Op> align(List<T> reference, List<T> hypothesis) {
        int n = reference.size();
        int m = hypothesis.size();
        // cost[r][h]: edits to turn the first r reference units into the first h hypothesis units.
        int[][] cost = new int[n + 1][m + 1];
        for (int r = 0; r <= n; r++) cost[r][0] = r;
        for (int h = 0; h <= m; h++) cost[0][h] = h;
        for (int r = 1; r <= n; r++) {
            for (int h = 1; h <= m; h++) {
                int diagonal = cost[r - 1][h - 1] + (reference.get(r - 1).equals(hypothesis.get(h - 1)) ? 0 : 1);
                int deletion = cost[r - 1][h] + 1;
                int insertion = cost[r][h - 1] + 1;
                cost[r][h] = Math.min(diagonal, Math.min(deletion, insertion));
            }
        }
        List<Op> ops = new ArrayList<>(Math.max(n, m));
        int r = n, h = m;
        while (r > 0 || h > 0) {
            if (r > 0 && h > 0) {
                boolean same = reference.get(r - 1).equals(hypothesis.get(h - 1));
                if (cost[r][h] == cost[r - 1][h - 1] + (same ? 0 : 1)) {
                    ops.add(same ? Op.MATCH : Op.SUBSTITUTE);
                    r--;
                    h--;
                    continue;
                }
            }
            if (r > 0 && cost[r][h] == cost[r - 1][h] + 1) {
                ops.add(Op.DELETE);
                r--;
            } else {
                ops.add(Op.INSERT);
                h--;
            }
        }
        return ops.reversed();
    }
}
