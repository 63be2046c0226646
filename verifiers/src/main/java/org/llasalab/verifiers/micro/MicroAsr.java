package org.llasalab.verifiers.micro;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llasalab.microworld.Lexicon;
import org.llasalab.verifiers.wer.AsrBackend;

/**
 * micro-asr: the CTC phoneme recogniser with the lexicon-constrained beam search; transcripts are
 * always sequences of lexicon words. The folder's {@code config.json} names the lexicon
 * ({@code lexicon}, relative to the folder) and the word language model's counts ({@code word_counts},
 * see {@link WordLm}), with the decoder settings {@code beam}, {@code lm_weight} and {@code word_bonus}.
 */
public final class MicroAsr implements AsrBackend {
    private final CtcAsrModel model;
    private final LexiconCtcDecoder decoder;

    public MicroAsr(CtcAsrModel model, LexiconCtcDecoder decoder) {
        this.model = model;
        this.decoder = decoder;
    }

    public static MicroAsr load(Path dir, int beam, double lmWeight, double wordBonus) throws IOException {
        CtcAsrModel model = MicroModels.loadCtc(dir);
        JsonNode c = MicroWeights.readConfig(dir, CtcAsrModel.MODEL_TYPE);
        Path lexiconFile = dir.resolve(c.path("lexicon").asText("../../lexicon.tsv")).normalize();
        Lexicon lexicon = Lexicon.read(lexiconFile);
        WordLm lm = c.hasNonNull("word_counts")
                ? WordLm.read(dir.resolve(c.get("word_counts").asText()).normalize(), lexicon.entries().size())
                : WordLm.unigram(Map.of(), lexicon.entries().size());
        PhonemeSymbols symbols = new PhonemeSymbols(model.config().symbols());
        try {
            return new MicroAsr(model, new LexiconCtcDecoder(symbols, lexicon.entries(), lm, beam, lmWeight, wordBonus));
        } catch (IllegalArgumentException e) {
            throw new IOException(lexiconFile + ": " + e.getMessage(), e);
        }
    }

    /** With the decoder settings of the folder's config (defaults: beam 16, no language model score). */
    public static MicroAsr load(Path dir) throws IOException {
        JsonNode c = MicroWeights.readConfig(dir, CtcAsrModel.MODEL_TYPE);
        return load(dir, c.path("beam").asInt(16), c.path("lm_weight").asDouble(0), c.path("word_bonus").asDouble(0));
    }

    public CtcAsrModel model() { return model; }

    /** The transcript of one waveform. */
    public String transcribe(float[] audio16k) {
        return decoder.decode(model.logProbs(MicroFrontEnd.logMel(audio16k)));
    }

    @Override
    public List<String> transcribe(List<float[]> audio16k) {
        return audio16k.parallelStream().map(this::transcribe).toList();
    }
}
