package org.llasalab.verifiers.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llasalab.dsp.Wav;
import org.llasalab.verifiers.AudioEmbedder;
import org.llasalab.verifiers.micro.MicroMetrics;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;

/**
 * The model-free cepstral speaker back-end on the shipped micro-world test-set prompts (16 speakers x
 * 4 styles): an independent auditor, far weaker than micro-speaker but clearly better than chance.
 */
class CepstralStatsEmbedderTest {
    static final Path TESTSET = Path.of(System.getProperty("llasa.home"), "toolkit/microworld/testset");

    @Test
    void separatesSpeakersOfTheMicroWorldWellAboveChance() throws Exception {
        Map<String, String> speakerOfPrompt = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(TESTSET.resolve("items.tsv"));
        List<String> header = List.of(lines.getFirst().split("\t"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            speakerOfPrompt.put(f[header.indexOf("prompt_id")], f[header.indexOf("speaker")]);
        }
        CepstralStatsEmbedder embedder = new CepstralStatsEmbedder();
        List<String> speakers = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        for (Map.Entry<String, String> e : speakerOfPrompt.entrySet()) {
            embeddings.add(embedder.embed(Wav.read(TESTSET.resolve("wavs/" + e.getKey() + ".wav")).samples()));
            speakers.add(e.getValue());
        }
        List<MicroMetrics.Trial> trials = new ArrayList<>();
        for (int i = 0; i < embeddings.size(); i++) {
            for (int j = i + 1; j < embeddings.size(); j++) {
                trials.add(new MicroMetrics.Trial(AudioEmbedder.cosine(embeddings.get(i), embeddings.get(j)),
                        speakers.get(i).equals(speakers.get(j))));
            }
        }
        double eer = MicroMetrics.equalErrorRate(trials);
        System.out.printf("cepstral speaker back-end: EER %.2f%% over %d trials of %d prompts%n", 100 * eer, trials.size(),
                embeddings.size());
        assertTrue(eer < 0.30, "EER " + eer);
    }

    @Test
    void isASimBackEndByName() throws Exception {
        try (Verifier v = Verifiers.create("sim", Map.of("backend", "cepstral"), Path.of("."))) {
            float[] a = Wav.read(Files.list(TESTSET.resolve("wavs")).sorted().findFirst().orElseThrow()).samples();
            double self = v.score(List.of(new Candidate(a, "x", a, "x", null))).getFirst().value();
            assertEquals(1.0, self, 1e-6);
        }
    }
}
