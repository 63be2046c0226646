package org.llasalab.verifiers.whisper;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a tiny but complete whisper.cpp ggml model (float16 matrices, float32 vectors, multilingual vocabulary size, one encoder
 * and one decoder layer of width 8) whose answer is known by construction: every weight is zero except
 * the layer-norm gains of the inner layers and the decoder's last layer norm, whose zero gain and bias
 * {@code u} make the final hidden state {@code u} whatever the input. With token embeddings
 * {@code E[eot] = 2u}, {@code E[0] = u} and zero elsewhere, the end-of-text token always has the highest
 * logit and token 0 the second; whisper.cpp suppresses end-of-text at the first step (suppress_blank),
 * so greedy decoding emits token 0 (" hello") and then ends: the transcript is "hello" for any audio.
 * This exercises the real whisper.cpp pipeline (mel, encoder, decoder, sampling rules) through JNI.
 */
public final class TinyWhisperModel {
    /** Vocabulary sizes: English-only models (tiny.en ... medium.en) and large-v3 (multilingual, 100 languages). */
    static final int ENGLISH_VOCAB = 51864;
    public static final int LARGE_V3_VOCAB = 51866;
    static final int AUDIO_CTX = 1500;
    static final int TEXT_CTX = 448;
    static final int STATE = 8;
    static final int MELS = 80;

    private record Tensor(String name, int[] ne, float[] data) {}

    private TinyWhisperModel() {}

    public static Path write(Path file, int nVocab) throws IOException {
        int eot = nVocab >= 51865 ? 50257 : 50256; // multilingual vocabularies shift the special tokens by one
        List<Tensor> tensors = new ArrayList<>();
        int s = STATE;
        tensors.add(zeros("encoder.positional_embedding", s, AUDIO_CTX));
        tensors.add(zeros("encoder.conv1.weight", 3, MELS, s));
        tensors.add(zeros("encoder.conv1.bias", 1, s));
        tensors.add(zeros("encoder.conv2.weight", 3, s, s));
        tensors.add(zeros("encoder.conv2.bias", 1, s));
        block(tensors, "encoder.blocks.0.", false);
        tensors.add(ones("encoder.ln_post.weight", s));
        tensors.add(zeros("encoder.ln_post.bias", s));

        tensors.add(zeros("decoder.positional_embedding", s, TEXT_CTX));
        float[] u = new float[s];
        for (int i = 0; i < s; i++) u[i] = (i % 2 == 0 ? 1f : -1f) * 0.5f;
        float[] embedding = new float[s * nVocab];
        for (int i = 0; i < s; i++) {
            embedding[i] = u[i];                      // token 0
            embedding[eot * s + i] = 2 * u[i];        // end of text
        }
        tensors.add(new Tensor("decoder.token_embedding.weight", new int[] {s, nVocab}, embedding));
        block(tensors, "decoder.blocks.0.", true);
        tensors.add(zeros("decoder.ln.weight", s));
        tensors.add(new Tensor("decoder.ln.bias", new int[] {s}, u));

        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".ggml-", ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
            int32(out, GgmlModelFile.MAGIC);
            for (int v : new int[] {nVocab, AUDIO_CTX, s, 2, 1, TEXT_CTX, s, 2, 1, MELS, 1}) int32(out, v); // ftype 1: f16
            int32(out, MELS);
            int32(out, 201);
            for (int i = 0; i < MELS * 201; i++) float32(out, 0f);
            String[] vocab = {" hello", " "};      // whisper.cpp looks up " " (suppress_blank)
            int32(out, vocab.length);             // whisper.cpp fills the remaining ids itself
            for (String token : vocab) {
                byte[] b = token.getBytes(StandardCharsets.UTF_8);
                int32(out, b.length);
                out.write(b);
            }
            for (Tensor t : tensors) {
                byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
                int32(out, t.ne().length);
                int32(out, name.length);
                // as whisper.cpp's converter writes them: matrices and convolutions in f16, the rest in f32
                boolean f16 = t.name().endsWith("weight") && t.ne().length >= 2;
                int32(out, f16 ? 1 : 0);
                for (int n : t.ne()) int32(out, n);
                out.write(name);
                for (float v : t.data()) {
                    if (f16) {
                        out.writeShort(Short.reverseBytes(Float.floatToFloat16(v)));
                    } else {
                        float32(out, v);
                    }
                }
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private static void block(List<Tensor> t, String p, boolean cross) {
        int s = STATE;
        t.add(ones(p + "attn_ln.weight", s));
        t.add(zeros(p + "attn_ln.bias", s));
        attention(t, p + "attn.");
        if (cross) {
            t.add(ones(p + "cross_attn_ln.weight", s));
            t.add(zeros(p + "cross_attn_ln.bias", s));
            attention(t, p + "cross_attn.");
        }
        t.add(ones(p + "mlp_ln.weight", s));
        t.add(zeros(p + "mlp_ln.bias", s));
        t.add(zeros(p + "mlp.0.weight", s, 4 * s));
        t.add(zeros(p + "mlp.0.bias", 4 * s));
        t.add(zeros(p + "mlp.2.weight", 4 * s, s));
        t.add(zeros(p + "mlp.2.bias", s));
    }

    private static void attention(List<Tensor> t, String p) {
        int s = STATE;
        t.add(zeros(p + "query.weight", s, s));
        t.add(zeros(p + "query.bias", s));
        t.add(zeros(p + "key.weight", s, s));
        t.add(zeros(p + "value.weight", s, s));
        t.add(zeros(p + "value.bias", s));
        t.add(zeros(p + "out.weight", s, s));
        t.add(zeros(p + "out.bias", s));
    }

    private static Tensor zeros(String name, int... ne) {
        int n = 1;
        for (int d : ne) n *= d;
        return new Tensor(name, ne, new float[n]);
    }

    private static Tensor ones(String name, int... ne) {
        Tensor t = zeros(name, ne);
        java.util.Arrays.fill(t.data(), 1f);
        return t;
    }

    private static void int32(DataOutputStream out, int v) throws IOException {
        out.writeInt(Integer.reverseBytes(v));
    }

    private static void float32(DataOutputStream out, float v) throws IOException {
        out.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(v)));
    }

    /** Manual check in a separate JVM (a native abort would end it): write the model and transcribe. */
    public static void main(String[] args) throws Exception {
        Path file = write(Path.of(args[0]), Integer.parseInt(args[1]));
        System.out.println("structure: " + GgmlModelFile.check(file));
        try (WhisperAsr asr = new WhisperAsr(file, 2, 1, "en")) {
            System.out.println("transcripts: " + asr.transcribe(List.of(new float[8000], new float[40000])));
        }
    }
}
