package org.llasalab.lm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.io.DType;
import org.llasalab.io.SafetensorsWriter;
import org.llasalab.io.TensorData;
import org.llasalab.io.TensorStore;

/** Batched decoding, forks, seeds and the bf16 path on the tiny llama3 checkpoint. */
class LlamaBatchTest {
    static LlamaModel model;

    @BeforeAll
    static void load() throws IOException {
        model = LlamaModel.load(Golden.MODEL, 2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] greedyAlone(int[] prompt, int steps, float[][] logitsOut) {
        try (LlamaBatch b = model.newBatch(1, prompt.length + steps)) {
            int s = b.prefill(prompt);
            int[] out = new int[steps];
            for (int i = 0; i < steps; i++) {
                if (logitsOut != null) logitsOut[i] = b.logits(s).clone();
                out[i] = Golden.argmax(b.logits(s));
                b.step(new int[] {s}, new int[] {out[i]});
            }
            return out;
        }
    }

    @Test
    void batchedGreedyEqualsOneSequenceAtATime() {
        int[][] prompts = {{1, 15, 200, 37}, {1, 99, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {1, 400}, {7, 7, 7, 7, 7, 7, 300}, {1, 2, 3, 4, 5}};
        int steps = 8;
        float[][][] expectLogits = new float[prompts.length][steps][];
        int[][] expect = new int[prompts.length][];
        for (int p = 0; p < prompts.length; p++) expect[p] = greedyAlone(prompts[p], steps, expectLogits[p]);
        try (LlamaBatch b = model.newBatch(prompts.length, 32)) {
            int[] seqs = new int[prompts.length];
            for (int p = 0; p < prompts.length; p++) seqs[p] = b.prefill(prompts[p]);
            for (int i = 0; i < steps; i++) {
                int[] toks = new int[prompts.length];
                for (int p = 0; p < prompts.length; p++) {
                    float[] l = b.logits(seqs[p]);
                    assertTrue(Golden.maxAbsDiff(expectLogits[p][i], l) <= 1e-5f, "prompt " + p + " step " + i);
                    toks[p] = Golden.argmax(l);
                    assertEquals(expect[p][i], toks[p], "prompt " + p + " step " + i);
                }
                b.step(seqs, toks);
            }
        }
    }

    /**
     * A decode step rotates and stores each key/value head inside its attention task; a prompt stores all
     * its rows before attention. Both must give the same bits for the same token at the same position,
     * including across a cache page boundary (position 64) and for sequences decoded side by side.
     */
    @Test
    void decodeStepsGiveTheBitsOfTheSameTokensInAPrompt() {
        int[] tokens = new int[70];
        for (int i = 0; i < tokens.length; i++) tokens[i] = (i * 53 + 5) % 512;
        for (int prefix : new int[] {3, 62}) {
            try (LlamaBatch b = model.newBatch(2, tokens.length)) {
                int stepped = b.prefill(java.util.Arrays.copyOf(tokens, prefix));
                int other = b.prefill(new int[] {9, 8, 7});
                for (int t = prefix; t < tokens.length; t++) {
                    b.step(new int[] {other, stepped}, new int[] {t % 512, tokens[t]});
                    try (LlamaBatch whole = model.newBatch(1, tokens.length)) {
                        int s = whole.prefill(java.util.Arrays.copyOf(tokens, t + 1));
                        assertArrayEquals(whole.logits(s), b.logits(stepped), "prefix " + prefix + ", position " + t);
                    }
                }
            }
        }
    }

    @Test
    void forkedSequenceContinuesLikeAnUnforkedCopy() {
        // 70 tokens: the fork happens inside the second cache page (page size 64)
        int[] prompt = new int[70];
        for (int i = 0; i < prompt.length; i++) prompt[i] = (i * 37 + 11) % 512;
        float[][] aloneLogits = new float[6][];
        int[] alone = greedyAlone(prompt, 6, aloneLogits);
        try (LlamaBatch b = model.newBatch(3, 80)) {
            int parent = b.prefill(prompt);
            int child = b.fork(parent);
            assertArrayEquals(b.tokens(parent), b.tokens(child));
            // advance the parent with different tokens first: the child must not see them
            b.step(new int[] {parent}, new int[] {5});
            b.step(new int[] {parent}, new int[] {6});
            for (int i = 0; i < 6; i++) {
                assertArrayEquals(aloneLogits[i], b.logits(child), "step " + i);
                b.step(new int[] {child}, new int[] {alone[i]});
            }
            assertEquals(76, b.length(child));
            assertEquals(72, b.length(parent));
            b.free(parent);
            assertThrows(IllegalArgumentException.class, () -> b.length(parent));
            assertEquals(76, b.length(child));
        }
    }

    @Test
    void aSeedGivesTheSameTokensInAnyBatchComposition() {
        int[] prompt = {1, 15, 200, 37, 499};
        SamplingParams p = new SamplingParams(1.0, 50, 0.95, 0.0, 1.1);
        List<Generator.Generation> four = Generator.generate(model, prompt, 4, p, null, 12, id -> id == 2, 1234);
        List<Generator.Generation> one = Generator.generate(model, prompt, 1, p, null, 12, id -> id == 2, 1234);
        assertArrayEquals(four.get(0).ids(), one.get(0).ids());
        assertEquals(four.get(0).sumLogProb(), one.get(0).sumLogProb(), 1e-9);
        // candidates differ from each other (independent streams)
        assertFalse(java.util.Arrays.equals(four.get(0).ids(), four.get(1).ids())
                && java.util.Arrays.equals(four.get(1).ids(), four.get(2).ids()));
        // a seed's candidate 2 alone (in a batch of 3 it is the last) matches
        List<Generator.Generation> three = Generator.generate(model, prompt, 3, p, null, 12, id -> id == 2, 1234);
        assertArrayEquals(four.get(2).ids(), three.get(2).ids());
    }

    @Test
    void logitWindowComputesOnlyThePartOfTheHeadItNeeds() {
        int[] prompt = {1, 15, 200, 37};
        try (LlamaBatch b = model.newBatch(2, 16)) {
            int full = b.prefill(prompt);
            int win = b.fork(full);
            b.setLogitWindow(win, 300, 400);
            // stepping both: the union window applies; step the windowed one alone to see -inf outside
            b.step(new int[] {full}, new int[] {9});
            b.step(new int[] {win}, new int[] {9});
            float[] a = b.logits(full), w = b.logits(win);
            for (int id = 0; id < 512; id++) {
                if (id >= 300 && id < 400) assertEquals(a[id], w[id], "id " + id);
                else assertEquals(Float.NEGATIVE_INFINITY, w[id], "id " + id);
            }
        }
    }

    @Test
    void bf16WeightsAgreeWithF32ToBf16Precision(@TempDir Path dir) throws IOException {
        Path bf = dir.resolve("tiny-bf16");
        Files.createDirectories(bf);
        Files.copy(Golden.MODEL.resolve("config.json"), bf.resolve("config.json"));
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        Map<String, TensorData> rounded = new LinkedHashMap<>();
        try (TensorStore s = TensorStore.open(Golden.MODEL)) {
            for (String name : s.names()) {
                float[] v = s.toFloatArray(name);
                tensors.put(name, TensorData.bf16(v, s.shape(name)));
                float[] r = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    r[i] = org.llasalab.io.FloatConversions.bf16ToFloat(org.llasalab.io.FloatConversions.floatToBf16(v[i]));
                }
                rounded.put(name, TensorData.f32(r, s.shape(name)));
            }
        }
        SafetensorsWriter.write(bf.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        Path f32r = Files.createDirectories(dir.resolve("tiny-f32-rounded"));
        Files.copy(Golden.MODEL.resolve("config.json"), f32r.resolve("config.json"));
        SafetensorsWriter.write(f32r.resolve("model.safetensors"), rounded);
        int[] ids = Golden.ints("input_ids");
        float[][] ref = model.logitsAll(ids);
        try (LlamaModel m = LlamaModel.load(bf, 2); LlamaModel r = LlamaModel.load(f32r, 2)) {
            assertEquals(DType.BF16, m.weightDType());
            float[][] got = m.logitsAll(ids);
            float[][] exact = r.logitsAll(ids);
            for (int p = 0; p < ids.length; p++) {
                // the bf16 kernels compute exactly what f32 kernels compute on bf16-rounded weights
                assertTrue(Golden.maxAbsDiff(exact[p], got[p]) < 1e-5f, "position " + p + " bf16 kernel vs f32 on rounded weights");
                // bf16 weights (8-bit mantissa, relative rounding 2^-9) move logits of magnitude ~5 by
                // a few 1e-2 on average, and the argmax is kept
                float diff = Golden.maxAbsDiff(ref[p], got[p]);
                double mean = 0;
                for (int i = 0; i < ref[p].length; i++) mean += Math.abs(ref[p][i] - got[p][i]) / ref[p].length;
                assertTrue(diff < 0.25f, "position " + p + " bf16 vs f32 max diff " + diff);
                assertTrue(mean < 0.06, "position " + p + " bf16 vs f32 mean diff " + mean);
                assertEquals(Golden.argmax(ref[p]), Golden.argmax(got[p]), "position " + p + " argmax");
            }
            // batched bf16 (scratch kernel) equals single bf16 (in-register kernel)
            try (LlamaBatch b = m.newBatch(5, 20)) {
                int s0 = b.prefill(ids);
                int[] forks = {s0, b.fork(s0), b.fork(s0), b.fork(s0), b.fork(s0)};
                b.step(forks, new int[] {3, 4, 5, 6, 3});
                try (LlamaBatch single = m.newBatch(1, 20)) {
                    int s = single.prefill(ids);
                    single.step(new int[] {s}, new int[] {3});
                    assertArrayEquals(single.logits(s), b.logits(forks[0]));
                    assertArrayEquals(single.logits(s), b.logits(forks[4]));
                }
            }
        }
    }

    @Test
    void misuseIsReportedClearly() {
        try (LlamaBatch b = model.newBatch(1, 8)) {
            int s = b.prefill(new int[] {1, 2, 3});
            assertThrows(IllegalStateException.class, () -> b.fork(s), "batch full");
            assertThrows(IllegalArgumentException.class, () -> b.step(new int[] {s}, new int[] {512}));
            assertThrows(IllegalArgumentException.class, () -> b.step(new int[] {s, s}, new int[] {1, 1}));
            for (int i = 0; i < 5; i++) b.step(new int[] {s}, new int[] {1});
            assertThrows(IllegalStateException.class, () -> b.step(new int[] {s}, new int[] {1}), "max tokens");
        }
    }
}
