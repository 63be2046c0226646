package org.llasalab.cli.microworld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.llasalab.microworld.Catalogue;
import org.llasalab.microworld.CorpusBuilder;
import org.llasalab.microworld.Lexicon;
import org.llasalab.microworld.MicroTextFrontEnd;
import org.llasalab.microworld.SentencePool;
import org.llasalab.microworld.SentencePoolFiles;

/** {@code llasa microworld corpus}: the micro world's speech corpus from Debian text and espeak-ng. */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = {"Build the micro world's speech corpus: sentences from installed Debian text packages "
                + "(wordnet-base, fortunes, fortunes-min, dict-gcide), a frequent-word vocabulary, an espeak-ng "
                + "lexicon, and 16 kHz speech of 16 speakers x 4 styles with a JSON-lines manifest."})
public final class CorpusCommand implements CliCommand, Callable<Integer> {
    @Option(names = "--out", required = true, description = "Output folder (e.g. /work/data/microworld/corpus).")
    Path out;

    @Option(names = "--hours", defaultValue = "20", description = "Hours of speech (default ${DEFAULT-VALUE}).")
    double hours;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--vocabulary", defaultValue = "3000", description = "Most frequent words kept (default ${DEFAULT-VALUE}).")
    int vocabulary;

    @Option(names = "--threads", defaultValue = "2", description = "Synthesis threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--ship-lexicon", description = "Also write lexicon.tsv and phonemes.txt into toolkit/microworld/.")
    boolean shipLexicon;

    @Override
    public String group() {
        return "microworld";
    }

    @Override
    public Integer call() throws Exception {
        if (hours <= 0) throw new IllegalArgumentException("--hours must be positive: " + hours);
        if (Files.exists(out.resolve("manifest.jsonl"))) {
            throw new IllegalArgumentException(out + " already holds a corpus (manifest.jsonl); choose another --out or remove it");
        }
        long t0 = System.nanoTime();
        SentencePool pool = SentencePool.build(vocabulary, seed, 0.03, 0.05, 400);
        System.out.printf("sentences: %d (train %d, dev %d, test %d), vocabulary %d words; candidates per source %s%n",
                pool.sentences().size(), pool.split("train").size(), pool.split("dev").size(), pool.split("test").size(),
                pool.vocabulary().size(), pool.candidatesPerSource());
        Lexicon lexicon = Lexicon.build(pool.vocabulary());
        MicroTextFrontEnd frontEnd = new MicroTextFrontEnd(lexicon, MicroTextFrontEnd.inventory(lexicon));
        System.out.printf("lexicon: %d words, %d symbols (%.1f s)%n", lexicon.entries().size(), frontEnd.symbols().size(),
                (System.nanoTime() - t0) / 1e9);
        if (shipLexicon) {
            frontEnd.write(Catalogue.microworldDir());
            System.out.println("wrote " + Catalogue.microworldDir().resolve(MicroTextFrontEnd.LEXICON_FILE));
        }
        Files.createDirectories(out);
        SentencePoolFiles.write(pool, out.resolve("sentences.tsv"));
        new CorpusBuilder(pool, frontEnd, out, seed, System.out::println).build(hours, threads);
        System.out.printf("total time %.0f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
