package org.llasalab.verifiers.micro.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;
import org.llasalab.io.DType;
import org.llasalab.verifiers.micro.MicroFrontEnd;
import org.llasalab.verifiers.micro.MicroModels;
import org.llasalab.verifiers.micro.MicroWeights;
import org.llasalab.verifiers.micro.WordLm;
import org.llasalab.verifiers.micro.XVectorModel;

/** The micro verifiers' file writers (all through AtomicFiles): round trips, and no temp files left behind. */
class MicroWritersTest {
    @TempDir Path dir;

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void wordCountsRoundTrip() throws IOException {
        WordLm lm = WordLm.fromTranscripts(List.of("the cat", "the dog", "a cat"), 4);
        Path file = dir.resolve("word_counts.tsv");
        lm.write(file);
        assertTrue(Files.readString(file, StandardCharsets.UTF_8).startsWith("a\t1\ncat\t2\n"));
        WordLm back = WordLm.read(file, 4);
        assertEquals(lm.unigrams(), back.unigrams());
        assertEquals(lm.bigrams(), back.bigrams());
        assertEquals(List.of("word_counts.tsv"), names(dir));
    }

    @Test
    void savedModelShipsUnchanged() throws Exception {
        XVectorModel.Config config = new XVectorModel.Config("speaker", 8, 6, 5, List.of("a", "b"));
        Map<String, float[]> w = MicroGraphs.initialWeights(XVectorModel.parameterShapes(config), 5, 1.0);
        Path model = dir.resolve("model");
        MicroModels.saveXVector(model, config, w, DType.F32, Map.of("steps", 3));
        assertEquals(List.of(MicroWeights.CONFIG, MicroWeights.WEIGHTS), names(model));
        assertEquals(3, new ObjectMapper().readTree(model.resolve(MicroWeights.CONFIG).toFile()).path("steps").asInt());
        XVectorModel loaded = MicroModels.loadXVector(model);
        assertEquals(config, loaded.config());

        Path shipped = dir.resolve("shipped");
        MicroShip.main(new String[] {"xvector", model.toString(), shipped.toString()});
        assertEquals(List.of(MicroWeights.CONFIG, MicroWeights.WEIGHTS), names(shipped));
        assertArrayEquals(Files.readAllBytes(model.resolve(MicroWeights.WEIGHTS)), Files.readAllBytes(shipped.resolve(MicroWeights.WEIGHTS)));
        assertEquals(config, MicroModels.loadXVector(shipped).config());
    }

    private static Path corpus(Path root, int rate) throws IOException {
        Files.createDirectories(root);
        StringBuilder manifest = new StringBuilder();
        for (int u = 0; u < 3; u++) {
            float[] x = new float[rate / 4 + u * 800];
            for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * (200 + 100 * u) * i / rate));
            String wav = "wavs/u" + u + ".wav";
            Wav.write(root.resolve(wav), new Audio(x, rate), false);
            manifest.append(String.format("{\"id\":\"u%d\",\"text\":\"word %d\",\"phonemes\":\"w ɜ d\",\"speaker\":\"s%d\","
                    + "\"style\":\"plain\",\"split\":\"%s\",\"wav\":\"%s\"}%n", u, u, u % 2, u == 2 ? "dev" : "train", wav));
        }
        Files.writeString(root.resolve("manifest.jsonl"), manifest.toString());
        return root;
    }

    @Test
    void featureCacheRoundTrip() throws Exception {
        Path corpus = corpus(dir.resolve("corpus"), MicroFrontEnd.SAMPLE_RATE);
        Path out = dir.resolve("feats");
        FeatureCache.build(corpus, out, 2);
        assertEquals(List.of("feats.f16", "index.tsv"), names(out));
        FeatureCache cache = FeatureCache.read(out);
        assertEquals(List.of("u0", "u1", "u2"), cache.utts().stream().map(FeatureCache.Utt::id).toList());
        long offset = 0;
        for (FeatureCache.Utt u : cache.utts()) {
            float[][] expected = MicroFrontEnd.logMel(Wav.read(corpus.resolve("wavs/" + u.id() + ".wav")).samples());
            assertEquals(offset, u.offset());
            assertEquals(expected.length, u.frames());
            float[][] got = cache.frames(u);
            for (int t = 0; t < expected.length; t++) {
                for (int m = 0; m < MicroFrontEnd.MELS; m++) {
                    assertEquals(Float.float16ToFloat(Float.floatToFloat16(expected[t][m])), got[t][m], 0f);
                }
            }
            offset += u.frames();
        }
        assertEquals("dev", cache.utts().get(2).split());
    }

    @Test
    void featureCacheOfAWrongRateCorpusFailsNamingTheWavAndWritesNothing() throws Exception {
        Path corpus = corpus(dir.resolve("corpus"), 22_050);
        Path out = dir.resolve("feats");
        IOException e = assertThrows(IOException.class, () -> FeatureCache.build(corpus, out, 2));
        assertTrue(e.getMessage().contains("u0.wav: sample rate 22050, expected 16000"), e.getMessage());
        assertEquals(List.of(), names(out));
    }
}
