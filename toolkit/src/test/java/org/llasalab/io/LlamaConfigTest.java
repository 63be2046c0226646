package org.llasalab.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaConfigTest {
    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        Path p = dir.resolve("config.json");
        Files.writeString(p, json);
        return p;
    }

    private static final String BASE = "\"hidden_size\": 2048, \"num_hidden_layers\": 16, \"num_attention_heads\": 32,"
            + " \"num_key_value_heads\": 8, \"intermediate_size\": 8192, \"vocab_size\": 193800, \"rms_norm_eps\": 1e-5,"
            + " \"rope_theta\": 500000.0";

    @Test
    void llasaStyleConfigWithEosListAndLlama3Scaling() throws IOException {
        LlamaConfig c = LlamaConfig.load(write("{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\", " + BASE
                + ", \"tie_word_embeddings\": true, \"bos_token_id\": 128000, \"eos_token_id\": [128001, 128008, 128009],"
                + " \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 32.0, \"low_freq_factor\": 1.0,"
                + " \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}}"));
        assertEquals(64, c.headDim(), "head_dim defaults to hidden / heads");
        assertEquals(512, c.kvDim());
        assertArrayEquals(new int[] {128001, 128008, 128009}, c.eosIds());
        assertTrue(c.isEos(128009));
        assertEquals(128000, c.bosId());
        assertTrue(c.tieWordEmbeddings());
        assertEquals(new LlamaConfig.RopeScaling(32, 1, 4, 8192), c.ropeScaling());
        assertEquals(1e-5, c.rmsNormEps());
    }

    @Test
    void parameterCountCountsATiedHeadOnce() throws IOException {
        Path shipped = Path.of(System.getProperty("llasa.home"), "toolkit", "microworld", "models", "micro-s");
        LlamaConfig s = LlamaConfig.load(shipped);
        assertEquals(1_066_880L, s.parameterCount(), "the number on micro-s's model card");
        LlamaConfig untied = new LlamaConfig(s.hiddenSize(), s.numLayers(), s.numHeads(), s.numKvHeads(), s.headDim(),
                s.intermediateSize(), s.vocabSize(), s.rmsNormEps(), s.ropeTheta(), null, false, s.bosId(), s.eosIds(),
                s.maxPositionEmbeddings());
        assertEquals(1_066_880L + 1124L * 128, untied.parameterCount(), "an untied head is a second table");
    }

    @Test
    void noScalingAndDefaultScalingMeanPlainRope() throws IOException {
        assertNull(LlamaConfig.load(write("{" + BASE + ", \"eos_token_id\": 2}")).ropeScaling());
        assertNull(LlamaConfig.load(write("{" + BASE + ", \"rope_scaling\": null}")).ropeScaling());
        assertNull(LlamaConfig.load(write("{" + BASE + ", \"rope_scaling\": {\"rope_type\": \"default\"}}")).ropeScaling());
        LlamaConfig c = LlamaConfig.load(write("{" + BASE + ", \"head_dim\": 128}"));
        assertEquals(128, c.headDim());
        assertArrayEquals(new int[0], c.eosIds());
    }

    @Test
    void otherArchitecturesAreRefusedNamingTheFile() throws IOException {
        Path p = write("{\"architectures\": [\"Qwen2ForCausalLM\"], \"model_type\": \"qwen2\", " + BASE + "}");
        IOException e = assertThrows(IOException.class, () -> LlamaConfig.load(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("Qwen2ForCausalLM"), e.getMessage());
        Path q = write("{\"model_type\": \"mistral\", " + BASE + "}");
        e = assertThrows(IOException.class, () -> LlamaConfig.load(q));
        assertTrue(e.getMessage().contains(q.toString()) && e.getMessage().contains("mistral"), e.getMessage());
    }

    @Test
    void missingFieldsAndBadJsonAreReported() throws IOException {
        Path p = write("{\"hidden_size\": 64}");
        IOException e = assertThrows(IOException.class, () -> LlamaConfig.load(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("num_attention_heads"), e.getMessage());
        Path bad = write("{not json");
        e = assertThrows(IOException.class, () -> LlamaConfig.load(bad));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        Path scaling = write("{" + BASE + ", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}}");
        e = assertThrows(IOException.class, () -> LlamaConfig.load(scaling));
        assertTrue(e.getMessage().contains("yarn"), e.getMessage());
    }
}
