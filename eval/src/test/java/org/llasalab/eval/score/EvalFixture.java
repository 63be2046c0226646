package org.llasalab.eval.score;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;

/**
 * A small generated benchmark: {@code bench/meta.lst} with prompts, and an output folder
 * {@code outputs/} of {@code <utt>.wav} in mixed formats (16 kHz PCM16, 22.05 kHz PCM16, 48 kHz
 * stereo float32), each a tone burst whose active fraction differs, so every utterance scores
 * differently.
 */
final class EvalFixture {
    final Path list;
    final Path outputs;
    final List<String> ids = new ArrayList<>();

    EvalFixture(Path root, int items) throws IOException {
        Path bench = Files.createDirectories(root.resolve("bench"));
        outputs = Files.createDirectories(root.resolve("out puts"));
        StringBuilder meta = new StringBuilder();
        for (int i = 0; i < items; i++) {
            String id = String.format("utt-%02d", i);
            ids.add(id);
            Wav.write(bench.resolve("prompts/" + id + ".wav"), new Audio(burst(16_000, 0.5, 0.5, 200 + 10 * i), 16_000), false);
            meta.append(id).append("|prompt number ").append(i).append("|prompts/").append(id).append(".wav|target, \"text\" ")
                    .append(i).append('\n');
            double active = (i + 1) / (double) (items + 1);
            Path out = outputs.resolve(id + ".wav");
            switch (i % 3) {
                case 0 -> Wav.write(out, new Audio(burst(16_000, 1.0, active, 300), 16_000), false);
                case 1 -> Wav.write(out, new Audio(burst(22_050, 1.0, active, 300), 22_050), false);
                default -> Files.write(out, stereoFloat(burst(48_000, 1.0, active, 300), 48_000));
            }
        }
        list = bench.resolve("meta.lst");
        Files.writeString(list, meta.toString());
    }

    /** {@code seconds} of audio: a tone of {@code hz} during the first {@code activeFraction}, then silence. */
    static float[] burst(int rate, double seconds, double activeFraction, double hz) {
        float[] x = new float[(int) Math.round(rate * seconds)];
        int on = (int) Math.round(x.length * activeFraction);
        for (int i = 0; i < on; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    static byte[] stereoFloat(float[] mono, int rate) {
        ByteBuffer b = ByteBuffer.allocate(44 + mono.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + mono.length * 8).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 3).putShort((short) 2).putInt(rate).putInt(rate * 8)
                .putShort((short) 8).putShort((short) 32);
        b.put("data".getBytes()).putInt(mono.length * 8);
        for (float v : mono) b.putFloat(v).putFloat(v);
        return b.array();
    }
}
