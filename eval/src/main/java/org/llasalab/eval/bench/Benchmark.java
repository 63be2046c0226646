package org.llasalab.eval.bench;

import java.util.List;

/** A named list of test items (seed-tts-eval test-en, the micro-world test set, ...). */
public interface Benchmark {
    String name();

    List<BenchmarkItem> items();

    /** The first {@code n} items (all of them when {@code n <= 0} or the list is shorter). */
    default Benchmark limit(int n) {
        List<BenchmarkItem> all = items();
        if (n <= 0 || n >= all.size()) {
            return this;
        }
        List<BenchmarkItem> head = List.copyOf(all.subList(0, n));
        String name = name();
        return new Benchmark() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<BenchmarkItem> items() {
                return head;
            }
        };
    }
}
