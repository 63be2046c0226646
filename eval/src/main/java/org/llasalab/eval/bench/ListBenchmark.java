package org.llasalab.eval.bench;

import java.util.List;

/** A benchmark read from a list file. */
record ListBenchmark(String name, List<BenchmarkItem> items) implements Benchmark {
    ListBenchmark {
        items = List.copyOf(items);
    }
}
