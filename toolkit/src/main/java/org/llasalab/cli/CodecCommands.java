package org.llasalab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Resampler;
import org.llasalab.dsp.Wav;
import org.llasalab.microworld.Catalogue;

/** Shared helpers of the {@code llasa codec ...} commands. */
final class CodecCommands {
    private CodecCommands() {}

    /** Opens a codec by micro-world short name or folder. */
    static SpeechCodec open(String nameOrDir) throws IOException {
        return Codecs.open(Catalogue.resolve(nameOrDir));
    }

    /** Reads a WAV and resamples it to the codec's rate. */
    static float[] readFor(SpeechCodec codec, Path wav) throws IOException {
        return Resampler.resample(Wav.read(wav), codec.sampleRate()).samples();
    }

    /** Writes codes as JSON, or as a {@code .npy} of int64 [1, 1, n] (the reference codec's layout) when the name ends in .npy. */
    static void writeCodes(Path file, SpeechCodec codec, int[] codes) throws IOException {
        if (file.getFileName().toString().endsWith(".npy")) {
            org.llasalab.io.AtomicFiles.write(file, org.llasalab.lm.prompt.PromptCodes.npy(codes));
            return;
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("codec", codec.name());
        o.put("sample_rate", codec.sampleRate());
        o.put("frame_rate", codec.frameRate());
        o.put("codebook_size", codec.codebookSize());
        var arr = o.putArray("codes");
        for (int c : codes) arr.add(c);
        org.llasalab.io.AtomicFiles.write(file, json.writeValueAsString(o) + "\n");
    }

    /** Codes from a JSON file written by {@code codec encode} ({@code {"codes": [...]}}, or a bare array) or plain text. */
    static int[] readCodes(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such codes file");
        if (file.getFileName().toString().endsWith(".npy")) return org.llasalab.lm.prompt.PromptCodes.read(file);
        String text = Files.readString(file).trim();
        if (text.startsWith("{") || text.startsWith("[")) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(text);
            } catch (IOException e) {
                throw new IOException(file + ": malformed JSON: " + e.getMessage(), e);
            }
            JsonNode arr = root.isArray() ? root : root.get("codes");
            if (arr == null || !arr.isArray()) throw new IOException(file + ": no 'codes' array");
            int[] out = new int[arr.size()];
            for (int i = 0; i < out.length; i++) {
                if (!arr.get(i).canConvertToInt()) throw new IOException(file + ": code " + i + " is not an integer: " + arr.get(i));
                out[i] = arr.get(i).asInt();
            }
            return out;
        }
        try {
            return parseCodes(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** "1,2,3" or "1 2 3". */
    static int[] parseCodes(String text) {
        String[] parts = text.trim().split("[,\\s]+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("code " + i + " is not an integer: '" + parts[i] + "'");
            }
        }
        return out;
    }

    static void checkRange(SpeechCodec codec, int[] codes) {
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < 0 || codes[i] >= codec.codebookSize()) {
                throw new IllegalArgumentException("code " + codes[i] + " at position " + i + " is outside 0.."
                        + (codec.codebookSize() - 1) + " of codec " + codec.name());
            }
        }
    }

    static void writeWav(Path file, SpeechCodec codec, float[] audio, boolean float32) throws IOException {
        Wav.write(file, new Audio(audio, codec.sampleRate()), float32);
    }
}
