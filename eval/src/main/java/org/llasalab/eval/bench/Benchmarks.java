package org.llasalab.eval.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a benchmark by short name or by path:
 * <ul>
 *   <li>{@code micro-test}: the micro-world test set, {@code toolkit/microworld/testset/meta.lst}
 *       under the system property {@code llasa.home};</li>
 *   <li>a path to a seed-tts-eval list ({@code utt|prompt_text|prompt_wav|target_text[|gt_wav]}),
 *       e.g. {@code seedtts_testset/en/meta.lst} (test-en), {@code zh/meta.lst} (test-zh),
 *       {@code zh/hardcase.lst} (test-hard);</li>
 *   <li>a path to a LibriSpeech-PC continuation list (six tab-separated fields, see
 *       {@link LibriSpeechPcList}); its audio root is the list's folder unless given.</li>
 * </ul>
 * The format of a path is told by its first non-blank line.
 */
public final class Benchmarks {
    public static final String MICRO_TEST = "micro-test";

    private Benchmarks() {}

    public static Benchmark open(String nameOrPath) {
        return open(nameOrPath, null);
    }

    /** As {@link #open(String)}; {@code audioRoot} (may be null) is the LibriSpeech tree for LibriSpeech-PC lists. */
    public static Benchmark open(String nameOrPath, Path audioRoot) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new IllegalArgumentException("no benchmark given (a list file path or '" + MICRO_TEST + "')");
        }
        if (nameOrPath.equals(MICRO_TEST)) {
            return SeedTtsList.read(microTestList(), MICRO_TEST);
        }
        Path list = Path.of(nameOrPath);
        if (Files.isDirectory(list) && Files.isRegularFile(list.resolve("meta.lst"))) {
            list = list.resolve("meta.lst");
        }
        if (!Files.isRegularFile(list)) {
            throw new IllegalArgumentException(nameOrPath + ": no such benchmark (not a list file, nor '" + MICRO_TEST + "')");
        }
        if (LibriSpeechPcList.looksLikeIt(ListLines.read(list))) {
            Path root = audioRoot != null ? audioRoot : list.toAbsolutePath().getParent();
            return LibriSpeechPcList.read(list, root);
        }
        return SeedTtsList.read(list);
    }

    /** Opens and keeps the first {@code limit} items ({@code limit <= 0}: all). */
    public static Benchmark open(String nameOrPath, Path audioRoot, int limit) {
        return open(nameOrPath, audioRoot).limit(limit);
    }

    /** The micro-world test list under {@code llasa.home}. */
    public static Path microTestList() {
        String home = System.getProperty("llasa.home");
        if (home == null || home.isBlank()) {
            throw new IllegalArgumentException("benchmark '" + MICRO_TEST
                    + "' needs the system property llasa.home (the repository root; ./llasa sets it)");
        }
        Path list = Path.of(home, "toolkit", "microworld", "testset", "meta.lst");
        if (!Files.isRegularFile(list)) {
            throw new IllegalArgumentException(list + ": micro-world test set not found (build it with the microworld commands)");
        }
        return list;
    }
}
