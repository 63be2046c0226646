package org.llasalab.codec.micro;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.dsp.LogMel;
import org.llasalab.dsp.MelFilterBank;
import org.llasalab.io.AtomicFiles;
import org.llasalab.io.SafetensorsWriter;
import org.llasalab.io.TensorData;
import org.llasalab.io.TensorStore;

/**
 * The micro world's codec: one codebook of K log-mel vectors. Encoding: 80-bin log-mel frames (hop
 * 320 at 16 kHz), {@code frames_per_code} consecutive frames stacked, nearest code. Decoding: the
 * codes' log-mel frames, exp, the mel pseudo-inverse to linear magnitudes, Griffin-Lim for phase.
 * Weights: {@code model.safetensors} with one tensor {@code codebook} [K, frames_per_code * n_mels]
 * (F32), rows laid out frame after frame.
 */
public final class MicroCodec implements SpeechCodec {
    public static final String WEIGHTS = "model.safetensors";

    private final MicroCodecConfig config;
    private final Codebook codebook;
    private final LogMel logMel;
    private final MelInverse melInverse;

    public MicroCodec(MicroCodecConfig config, Codebook codebook) {
        if (codebook.size() != config.codebookSize() || codebook.dim() != config.codeDim()) {
            throw new IllegalArgumentException("codebook is " + codebook.size() + " x " + codebook.dim() + ", config says "
                    + config.codebookSize() + " x " + config.codeDim());
        }
        this.config = config;
        this.codebook = codebook;
        this.logMel = new LogMel(config.sampleRate(), config.nFft(), config.melHop(), config.mels(), false, config.logFloor());
        this.melInverse = new MelInverse(MelFilterBank.slaney(config.sampleRate(), config.nFft(), config.mels()).weights());
    }

    /** Loads a codec folder ({@code config.json} + {@code model.safetensors}). */
    public static MicroCodec load(Path dir, MicroCodecConfig config) throws IOException {
        Path weights = dir.resolve(WEIGHTS);
        try (TensorStore store = TensorStore.open(weights)) {
            long[] shape = store.shape("codebook");
            if (shape.length != 2 || shape[0] != config.codebookSize() || shape[1] != config.codeDim()) {
                throw new IOException(weights + ": tensor 'codebook' has shape " + java.util.Arrays.toString(shape)
                        + ", config.json needs [" + config.codebookSize() + ", " + config.codeDim() + "]");
            }
            float[] flat = store.toFloatArray("codebook");
            float[][] codes = new float[config.codebookSize()][];
            for (int k = 0; k < codes.length; k++) {
                codes[k] = java.util.Arrays.copyOfRange(flat, k * config.codeDim(), (k + 1) * config.codeDim());
            }
            return new MicroCodec(config, new Codebook(codes));
        }
    }

    /** Writes {@code config.json} and {@code model.safetensors} into {@code dir} (each atomically). */
    public void save(Path dir, Map<String, String> metadata) throws IOException {
        Files.createDirectories(dir);
        float[] flat = new float[config.codebookSize() * config.codeDim()];
        for (int k = 0; k < config.codebookSize(); k++) {
            System.arraycopy(codebook.code(k), 0, flat, k * config.codeDim(), config.codeDim());
        }
        SafetensorsWriter.write(dir.resolve(WEIGHTS),
                Map.of("codebook", TensorData.f32(flat, config.codebookSize(), config.codeDim())), metadata);
        AtomicFiles.write(dir.resolve("config.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config.toJson()) + "\n");
    }

    public MicroCodecConfig config() { return config; }

    public Codebook codebook() { return codebook; }

    @Override
    public String name() { return "micro"; }

    @Override
    public int sampleRate() { return config.sampleRate(); }

    @Override
    public double frameRate() { return config.sampleRate() / (double) config.hop(); }

    @Override
    public int codebookSize() { return config.codebookSize(); }

    @Override
    public int hopLength() { return config.hop(); }

    @Override
    public boolean canEncode() { return true; }

    /** Log-mel frames [ceil(samples / mel hop)][mels] of audio at the codec rate. */
    public float[][] logMel(float[] audio) {
        float[][] all = logMel.compute(audio);
        int frames = Math.max(1, (audio.length + config.melHop() - 1) / config.melHop());
        return java.util.Arrays.copyOf(all, Math.min(frames, all.length));
    }

    /** Stacks {@code frames_per_code} frames per vector (the last group padded by repeating its last frame). */
    public float[][] stack(float[][] frames) {
        int f = config.framesPerCode();
        int mels = config.mels();
        int n = (frames.length + f - 1) / f;
        float[][] out = new float[n][f * mels];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                int t = Math.min(frames.length - 1, i * f + j);
                System.arraycopy(frames[t], 0, out[i], j * mels, mels);
            }
        }
        return out;
    }

    /** Log-mel frames [codes * frames_per_code][mels] that the codes stand for. */
    public float[][] codeFrames(int[] codes) {
        int f = config.framesPerCode();
        int mels = config.mels();
        float[][] out = new float[codes.length * f][];
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] >= config.codebookSize()) {
                throw new IllegalArgumentException("code " + codes[i] + " at position " + i + " is outside 0.." + (config.codebookSize() - 1));
            }
            float[] c = codebook.code(codes[i]);
            for (int j = 0; j < f; j++) out[i * f + j] = java.util.Arrays.copyOfRange(c, j * mels, (j + 1) * mels);
        }
        return out;
    }

    @Override
    public int[][] encode(float[][] audio) {
        int[][] out = new int[audio.length][];
        IntStream.range(0, audio.length).parallel().forEach(i -> out[i] = encodeOne(audio[i]));
        return out;
    }

    private int[] encodeOne(float[] audio) {
        float[][] vectors = stack(logMel(audio));
        int[] codes = new int[vectors.length];
        float[] scratch = new float[codebook.scratchLength()];
        for (int i = 0; i < vectors.length; i++) codes[i] = codebook.nearest(vectors[i], scratch);
        return codes;
    }

    @Override
    public float[][] decode(int[][] codes) {
        float[][] out = new float[codes.length][];
        IntStream.range(0, codes.length).parallel().forEach(i -> out[i] = decodeOne(codes[i]));
        return out;
    }

    private float[] decodeOne(int[] codes) {
        if (codes.length == 0) return new float[0];
        float[][] frames = codeFrames(codes);
        float[][] magnitude = new float[frames.length][melInverse.bins()];
        float[] mel = new float[config.mels()];
        for (int t = 0; t < frames.length; t++) {
            for (int m = 0; m < mel.length; m++) mel[m] = (float) Math.exp(frames[t][m]);
            melInverse.apply(mel, magnitude[t]);
        }
        GriffinLim gl = new GriffinLim(config.nFft(), config.melHop(), config.griffinLimIterations(), config.griffinLimMomentum());
        return gl.reconstruct(magnitude, codes.length * config.hop());
    }
}
