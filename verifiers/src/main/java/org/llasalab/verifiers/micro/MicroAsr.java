package org.llasalab.verifiers.micro;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.microworld.Lexicon;
import org.llasalab.verifiers.wer.AsrBackend;

/**
 * micro-asr: the CTC phoneme recogniser with the lexicon-constrained beam search; transcripts are
 * always sequences of lexicon words. The folder's {@code config.json} names the lexicon
 * ({@code lexicon}, relative to the folder) and a word-count table ({@code word_counts}: word TAB count).
 */
public final class MicroAsr implements AsrBackend {
    private final CtcAsrModel model;
    private final LexiconCtcDecoder decoder;

    public MicroAsr(CtcAsrModel model, LexiconCtcDecoder decoder) {
        this.model = model;
        this.decoder = decoder;
    }

    public static MicroAsr load(Path dir, int beam, double lmWeight) throws IOException {
        CtcAsrModel model = MicroModels.loadCtc(dir);
        JsonNode c = MicroWeights.readConfig(dir, CtcAsrModel.MODEL_TYPE);
        Path lexiconFile = dir.resolve(c.path("lexicon").asText("../../lexicon.tsv")).normalize();
        Lexicon lexicon = Lexicon.read(lexiconFile);
        Map<String, Long> counts = new HashMap<>();
        if (c.hasNonNull("word_counts")) counts = readCounts(dir.resolve(c.get("word_counts").asText()).normalize());
        PhonemeSymbols symbols = new PhonemeSymbols(model.config().symbols());
        try {
            return new MicroAsr(model, new LexiconCtcDecoder(symbols, lexicon.entries(), counts, beam, lmWeight));
        } catch (IllegalArgumentException e) {
            throw new IOException(lexiconFile + ": " + e.getMessage(), e);
        }
    }

    public static MicroAsr load(Path dir) throws IOException {
        JsonNode c = MicroWeights.readConfig(dir, CtcAsrModel.MODEL_TYPE);
        return load(dir, c.path("beam").asInt(16), c.path("lm_weight").asDouble(0));
    }

    static Map<String, Long> readCounts(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": missing word-count table");
        Map<String, Long> out = new HashMap<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            try {
                if (f.length != 2) throw new NumberFormatException("expected word<TAB>count");
                out.put(f[0], Long.parseLong(f[1].trim()));
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + lineNo + ": " + e.getMessage() + ": '" + line + "'");
            }
        }
        return out;
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
