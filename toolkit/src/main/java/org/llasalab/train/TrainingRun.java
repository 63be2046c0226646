package org.llasalab.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.io.PrintStream;
import java.nio.file.StandardOpenOption;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.io.DType;
import org.llasalab.lm.prompt.LlasaPrompt;
import org.llasalab.lm.prompt.LlasaTokenizer;

/**
 * One training run from a {@link TrainingConfig}: load (or build) the utterance cache, split held-out
 * utterances, write the tokenizer, build Llasa-format sequences, train with resume, and export the final model
 * to {@code output/model}.
 */
public final class TrainingRun {
    private final TrainingConfig config;
    private final String command;

    public TrainingRun(TrainingConfig config, String command) {
        this.config = config;
        this.command = command;
    }

    /** Trains to the budget (or resumes) and exports; returns the export folder. */
    public Path run(boolean resume) throws IOException {
        TrainingConfig.Data data = config.data();
        Path out = config.output();
        Files.createDirectories(out);
        if (!Files.isRegularFile(data.cache())) {
            if (data.corpus() == null) throw new IOException(config.file() + ": utterance cache " + data.cache() + " is missing");
            try (SpeechCodec codec = Codecs.open(data.codec(), org.llasalab.microworld.Catalogue::lookup);
                    PrintStream log = appendLog(out)) {
                CorpusEncoder.encode(data.corpus(), codec, data.cache(), 16, log::println);
            }
        }
        UtteranceCache.Contents cache = UtteranceCache.read(data.cache());
        // Corpus splits when present: train trains, dev is held out, test is left for evaluation.
        boolean hasSplits = cache.utterances().stream().anyMatch(u -> u.split().equals("dev"));
        List<Utterance> train = new ArrayList<>(), heldout = new ArrayList<>();
        for (Utterance u : cache.utterances()) {
            if (hasSplits) {
                if (u.split().equals("dev")) heldout.add(u);
                else if (!u.split().equals("test")) train.add(u);
            } else {
                (isHeldout(u.id(), data.heldoutFraction()) ? heldout : train).add(u);
            }
        }
        if (train.isEmpty()) throw new IOException(data.cache() + ": no training utterances after the held-out split");

        Files.copy(config.file(), out.resolve("train.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        TokenizerSpec spec = new TokenizerSpec(data.template(), symbols(cache), cache.codebookSize());
        Path tokenizerDir = out.resolve("tokenizer");
        Files.createDirectories(tokenizerDir);
        org.llasalab.io.AtomicFiles.write(tokenizerDir.resolve("tokenizer.json"), spec.tokenizerJson());
        ModelShape shape = config.shape().withVocab(spec.vocabSize());
        TrainerSettings settings = config.settings();
        Trainer trainer;
        try (LlasaTokenizer tokenizer = LlasaTokenizer.open(tokenizerDir)) {
            LlasaSequences sequences = new LlasaSequences(LlasaPrompt.builder(tokenizer).template(data.template()).build());
            int maxTokens = shape.maxPositions() + 1;
            List<TokenSequence> trainSeqs = sequences.build(train, data.pairsFraction(), maxTokens, settings.seed());
            List<TokenSequence> heldSeqs = sequences.build(heldout, data.pairsFraction(), maxTokens, settings.seed() + 1);
            if (heldSeqs.size() > data.heldoutSequences()) heldSeqs = heldSeqs.subList(0, data.heldoutSequences());
            trainer = new Trainer(shape, settings, trainSeqs, heldSeqs, out);
            try (PrintStream log = appendLog(out)) {
                log.printf(Locale.ROOT, "run: %s | %d train + %d held-out utterances (%d + %d sequences, pairs %.2f) | vocab %d"
                                + " | %,d parameters | native %s, %d thread(s)%n",
                        command, train.size(), heldout.size(), trainSeqs.size(), heldSeqs.size(), data.pairsFraction(),
                        spec.vocabSize(), shape.parameterCount(), NativeBackend.loadedLibrary(), config.threads());
            }
        }
        boolean done = trainer.run(resume, Long.MAX_VALUE);
        if (!done) throw new IllegalStateException("training stopped before the budget");
        Path model = out.resolve("model");
        export(model, shape, spec, trainer.graph().weights(), trainer.summary());
        return model;
    }

    /**
     * Exports the newest checkpoint of the output folder as it is, without training: to {@code to}, or by
     * default to {@code OUTPUT/export-step-NNNNNNNN} (checkpoint folders are rotated away, exports stay), so
     * that a run's intermediate models can be evaluated while it trains. Returns the export folder.
     */
    public Path exportLatest(Path to) throws IOException {
        Path cacheFile = config.data().cache();
        if (!Files.isRegularFile(cacheFile)) {
            throw new IOException(config.file() + ": utterance cache " + cacheFile + " is missing (train first)");
        }
        UtteranceCache.Contents cache = UtteranceCache.read(cacheFile);
        TokenizerSpec spec = new TokenizerSpec(config.data().template(), symbols(cache), cache.codebookSize());
        Checkpoints.Checkpoint c = Checkpoints.latest(config.output());
        TrainingSummary facts = c.state().summary();
        Path model = to != null ? to : config.output().resolve(String.format(Locale.ROOT, "export-step-%08d",
                facts.updates()));
        export(model, config.shape().withVocab(spec.vocabSize()), spec, c.weights(), facts);
        return model;
    }

    private void export(Path model, ModelShape shape, TokenizerSpec spec, java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> weights,
            TrainingSummary facts) throws IOException {
        DType dtype = switch (config.exportDtype()) {
            case "f32" -> DType.F32;
            case "f16" -> DType.F16;
            default -> DType.BF16;
        };
        HuggingFaceExport.export(model, shape, weights, spec,
                new HuggingFaceExport.FrontEnd(config.data().frontend(), lexicon(), "|", config.data().codec()), facts, command,
                dtype);
    }

    private static PrintStream appendLog(Path out) throws IOException {
        return new PrintStream(Files.newOutputStream(out.resolve("train.log"), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
    }

    /** The symbol inventory: {@code data.symbols}, else the corpus's {@code phonemes.txt} when there is one. */
    private Path inventory() {
        if (config.data().symbols() != null) return config.data().symbols();
        if (config.data().corpus() != null && Files.isRegularFile(config.data().corpus().resolve("phonemes.txt"))) {
            return config.data().corpus().resolve("phonemes.txt");
        }
        return null;
    }

    /** The vocabulary's symbols: the inventory file when given (one per line), else the symbols seen, sorted. */
    private List<String> symbols(UtteranceCache.Contents cache) throws IOException {
        TreeSet<String> seen = new TreeSet<>();
        for (Utterance u : cache.utterances()) for (String s : u.symbols().split(" ")) if (!s.isEmpty()) seen.add(s);
        Path file = inventory();
        if (file == null) return List.copyOf(seen);
        List<String> inventory = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) inventory.add(line.strip());
        }
        for (String s : seen) {
            if (!inventory.contains(s)) {
                throw new IOException(file + ": symbol '" + s + "' of the corpus is not in the inventory");
            }
        }
        return inventory;
    }

    /**
     * The lexicon beside the symbol inventory, as the export records it: the words "shipped" when it is
     * the micro world's own {@code lexicon.tsv} (the same bytes), so that a shipped model folder names no
     * path of the machine it was trained on; otherwise the file's path.
     */
    private String lexicon() throws IOException {
        Path inv = inventory();
        if (inv == null) return null;
        Path lex = inv.resolveSibling("lexicon.tsv");
        if (!Files.isRegularFile(lex)) return null;
        Path shipped = org.llasalab.microworld.Catalogue.microworldDir().resolve("lexicon.tsv");
        if (Files.isRegularFile(shipped) && Files.mismatch(lex, shipped) == -1) {
            return "shipped (toolkit/microworld/lexicon.tsv)";
        }
        return lex.toString();
    }

    /** A deterministic split by id hash, independent of order and seed (so every model size sees the same split). */
    static boolean isHeldout(String id, double fraction) {
        long h = 1125899906842597L;
        for (int i = 0; i < id.length(); i++) h = 31 * h + id.charAt(i);
        h ^= (h >>> 33);
        h *= 0xff51afd7ed558ccdL;
        h ^= (h >>> 33);
        return (h >>> 11) * 0x1.0p-53 < fraction;
    }
}
