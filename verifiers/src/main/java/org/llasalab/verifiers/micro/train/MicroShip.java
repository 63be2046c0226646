package org.llasalab.verifiers.micro.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.llasalab.microworld.Lexicon;
import org.llasalab.verifiers.micro.CtcAsrModel;
import org.llasalab.verifiers.micro.LexiconCtcDecoder;
import org.llasalab.verifiers.micro.MicroModels;
import org.llasalab.verifiers.micro.MicroWeights;
import org.llasalab.verifiers.micro.PhonemeSymbols;
import org.llasalab.verifiers.wer.ErrorRate;
import org.llasalab.verifiers.wer.WerAggregate;

/**
 * Copies a trained micro verifier into its shipped folder. For micro-asr it also writes the word-count
 * table of the training transcripts ({@code word_counts.tsv}) and picks the decoder's word-prior weight
 * by WER on dev utterances of the feature cache:
 * <pre>
 *   MicroShip xvector MODEL_DIR TARGET_DIR
 *   MicroShip asr MODEL_DIR TARGET_DIR FEATURE_CACHE LEXICON DEV_UTTERANCES
 * </pre>
 */
public final class MicroShip {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MicroShip() {}

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[1]), target = Path.of(args[2]);
        Files.createDirectories(target);
        copy(model.resolve(MicroWeights.WEIGHTS), target.resolve(MicroWeights.WEIGHTS));
        ObjectNode config = (ObjectNode) JSON.readTree(model.resolve(MicroWeights.CONFIG).toFile());
        if (args[0].equals("asr")) {
            FeatureCache cache = FeatureCache.read(Path.of(args[3]));
            Path lexiconFile = Path.of(args[4]);
            Map<String, Long> counts = new TreeMap<>();
            for (FeatureCache.Utt u : cache.utts()) {
                if (!u.split().equals("train")) continue;
                for (String w : u.text().trim().split("\\s+")) counts.merge(w, 1L, Long::sum);
            }
            StringBuilder sb = new StringBuilder();
            counts.forEach((w, c) -> sb.append(w).append('\t').append(c).append('\n'));
            write(target.resolve("word_counts.tsv"), sb.toString());
            CtcAsrModel asr = MicroModels.loadCtc(model);
            PhonemeSymbols symbols = new PhonemeSymbols(asr.config().symbols());
            Lexicon lexicon = Lexicon.read(lexiconFile);
            List<FeatureCache.Utt> dev = new ArrayList<>(cache.utts().stream().filter(u -> u.split().equals("dev")).toList());
            Collections.shuffle(dev, new Random(2));
            dev = dev.subList(0, Math.min(Integer.parseInt(args[5]), dev.size()));
            List<float[][]> posteriors = new ArrayList<>();
            for (FeatureCache.Utt u : dev) posteriors.add(asr.logProbs(cache.frames(u)));
            double bestWeight = 0, bestWer = Double.MAX_VALUE;
            for (double weight : new double[] {0, 0.25, 0.5, 1.0, 2.0}) {
                LexiconCtcDecoder decoder = new LexiconCtcDecoder(symbols, lexicon.entries(), counts, 16, weight);
                WerAggregate wer = new WerAggregate();
                for (int i = 0; i < dev.size(); i++) wer.add(ErrorRate.wer(dev.get(i).text(), decoder.decode(posteriors.get(i))));
                System.out.printf("lm_weight %.2f: dev WER %.4f (%d utterances)%n", weight, wer.corpusRate(), dev.size());
                if (wer.corpusRate() < bestWer) {
                    bestWer = wer.corpusRate();
                    bestWeight = weight;
                }
            }
            config.put("lexicon", "../../lexicon.tsv");
            config.put("word_counts", "word_counts.tsv");
            config.put("beam", 16);
            config.put("lm_weight", bestWeight);
            config.put("dev_wer", bestWer);
        }
        write(target.resolve(MicroWeights.CONFIG), JSON.writeValueAsString(config) + "\n");
    }

    private static void copy(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
