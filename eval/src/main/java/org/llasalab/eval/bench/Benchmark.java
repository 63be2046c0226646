package org.llasalab.eval.bench;

import java.util.List;

/** A named list of test items (seed-tts-eval test-en, the micro-world test set, ...). */
public interface Benchmark {
    String name();

    List<BenchmarkItem> items();
}
