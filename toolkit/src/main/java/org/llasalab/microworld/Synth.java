package org.llasalab.microworld;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;

/** Speech synthesis with espeak-ng: many sentences per process, split at long silences. */
public final class Synth {
    public static final int ESPEAK_RATE = 22050;

    private Synth() {}

    /**
     * Speaks {@code texts} with one espeak-ng process (SSML, a {@value CorpusBuilder#BREAK_MS} ms break
     * between sentences) and returns one trimmed waveform per text at {@link #ESPEAK_RATE}, or
     * {@code null} when the output does not split into exactly as many pieces as texts.
     */
    public static List<float[]> espeakBatch(Voices.Speaker speaker, Voices.Style style, List<String> texts, Path tmpDir)
            throws IOException, InterruptedException {
        StringBuilder ssml = new StringBuilder("<speak>").append(style.prosodyOpenTag());
        for (int i = 0; i < texts.size(); i++) {
            if (i > 0) ssml.append(" <break time=\"").append(CorpusBuilder.BREAK_MS).append("ms\"/> ");
            ssml.append(texts.get(i).replace("&", " and ").replace("<", " ").replace(">", " "));
        }
        ssml.append("</prosody></speak>\n");
        Path in = Files.createTempFile(tmpDir, "batch-", ".ssml");
        Path wav = Files.createTempFile(tmpDir, "batch-", ".wav");
        try {
            Files.writeString(in, ssml);
            Process p = new ProcessBuilder(Espeak.COMMAND, "-m", "-v", speaker.voice(), "-p", Integer.toString(speaker.pitch()),
                    "-s", Integer.toString(speaker.speed()), "-f", in.toString(), "-w", wav.toString())
                    .redirectErrorStream(true).start();
            String messages = new String(p.getInputStream().readAllBytes());
            int rc = p.waitFor();
            if (rc != 0) throw new IOException(Espeak.COMMAND + " failed (status " + rc + ") for voice " + speaker.voice() + ": " + messages);
            Audio audio = Wav.read(wav);
            if (audio.sampleRate() != ESPEAK_RATE) {
                throw new IOException(wav + ": espeak-ng wrote " + audio.sampleRate() + " Hz, expected " + ESPEAK_RATE);
            }
            List<float[]> pieces = splitAtSilences(audio.samples(), ESPEAK_RATE);
            return pieces.size() == texts.size() ? pieces : null;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(wav);
        }
    }

    /**
     * Splits {@code x} at runs of near-silence (|x| <= {@value CorpusBuilder#SILENCE_LEVEL}/32768) of at
     * least {@value CorpusBuilder#MIN_GAP_SECONDS} s; each piece keeps {@value CorpusBuilder#PAD_SECONDS}
     * s of the silence around it.
     */
    static List<float[]> splitAtSilences(float[] x, int rate) {
        float level = CorpusBuilder.SILENCE_LEVEL / 32768f + 1e-7f;
        int minGap = (int) (CorpusBuilder.MIN_GAP_SECONDS * rate);
        int pad = (int) (CorpusBuilder.PAD_SECONDS * rate);
        List<float[]> out = new ArrayList<>();
        int i = 0;
        int n = x.length;
        while (i < n && Math.abs(x[i]) <= level) i++;
        while (i < n) {
            int start = i;
            int lastLoud = i;
            int j = i;
            while (j < n) {
                if (Math.abs(x[j]) > level) {
                    lastLoud = j;
                } else if (j - lastLoud >= minGap) {
                    break;
                }
                j++;
            }
            int from = Math.max(0, start - pad);
            int to = Math.min(n, lastLoud + 1 + pad);
            out.add(java.util.Arrays.copyOfRange(x, from, to));
            i = j;
            while (i < n && Math.abs(x[i]) <= level) i++;
        }
        return out;
    }
}
