package org.llasalab.verifiers.micro.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.llasalab.io.AtomicFiles;
import org.llasalab.microworld.Lexicon;
import org.llasalab.verifiers.micro.CtcAsrModel;
import org.llasalab.verifiers.micro.LexiconCtcDecoder;
import org.llasalab.verifiers.micro.MicroModels;
import org.llasalab.verifiers.micro.MicroWeights;
import org.llasalab.verifiers.micro.PhonemeSymbols;
import org.llasalab.verifiers.micro.WordLm;
import org.llasalab.verifiers.wer.ErrorRate;
import org.llasalab.verifiers.wer.WerAggregate;

/**
 * Copies a trained micro verifier into its shipped folder. For micro-asr it also writes the word
 * language model's counts from the training transcripts ({@code word_counts.tsv}, see {@link WordLm})
 * and picks the decoder's language-model weight and word bonus by WER on dev utterances of the cache:
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
            Lexicon lexicon = Lexicon.read(lexiconFile);
            List<String> transcripts = cache.utts().stream().filter(u -> u.split().equals("train")).map(FeatureCache.Utt::text).toList();
            WordLm lm = WordLm.fromTranscripts(transcripts, lexicon.entries().size());
            lm.write(target.resolve("word_counts.tsv"));
            CtcAsrModel asr = MicroModels.loadCtc(model);
            PhonemeSymbols symbols = new PhonemeSymbols(asr.config().symbols());
            List<FeatureCache.Utt> dev = new ArrayList<>(cache.utts().stream().filter(u -> u.split().equals("dev")).toList());
            Collections.shuffle(dev, new Random(2));
            dev = dev.subList(0, Math.min(Integer.parseInt(args[5]), dev.size()));
            List<float[][]> posteriors = new ArrayList<>();
            for (FeatureCache.Utt u : dev) posteriors.add(asr.logProbs(cache.frames(u)));
            double bestWeight = 0, bestBonus = 0, bestWer = Double.MAX_VALUE;
            for (double weight : new double[] {0, 0.3, 0.6, 1.0, 1.5}) {
                for (double bonus : new double[] {0, 1, 2, 4}) {
                    if (weight == 0 && bonus > 0) continue;
                    LexiconCtcDecoder decoder = new LexiconCtcDecoder(symbols, lexicon.entries(), lm, 16, weight, bonus);
                    WerAggregate wer = new WerAggregate();
                    for (int i = 0; i < dev.size(); i++) wer.add(ErrorRate.wer(dev.get(i).text(), decoder.decode(posteriors.get(i))));
                    System.out.printf("lm_weight %.2f word_bonus %.1f: dev WER %.4f (%d utterances)%n", weight, bonus, wer.corpusRate(), dev.size());
                    if (wer.corpusRate() < bestWer) {
                        bestWer = wer.corpusRate();
                        bestWeight = weight;
                        bestBonus = bonus;
                    }
                }
            }
            config.put("lexicon", "../../lexicon.tsv");
            config.put("word_counts", "word_counts.tsv");
            config.put("beam", 16);
            config.put("lm_weight", bestWeight);
            config.put("word_bonus", bestBonus);
            config.put("dev_wer", bestWer);
        }
        AtomicFiles.write(target.resolve(MicroWeights.CONFIG), JSON.writeValueAsString(config) + "\n");
    }

    private static void copy(Path from, Path to) throws IOException {
        AtomicFiles.write(to, tmp -> Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING));
    }
}
