package org.llasalab.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llasalab.io.AtomicFiles;

/**
 * A binary cache of encoded utterances (front-end symbols and codec codes), so that a corpus is phonemised and
 * encoded once. Layout (big-endian): magic {@code LLUC}, version 1, codec name, codebook size, count, then per
 * utterance id, voice, split, symbols (modified UTF-8) and the codes (count, then ints). Written atomically.
 */
public final class UtteranceCache {
    private static final int MAGIC = 0x4C4C5543; // "LLUC"
    private static final int VERSION = 2;

    public record Contents(String codec, int codebookSize, List<Utterance> utterances) {}

    private UtteranceCache() {}

    public static void write(Path file, String codec, int codebookSize, List<Utterance> utterances) throws IOException {
        AtomicFiles.writeStream(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(codec);
            out.writeInt(codebookSize);
            out.writeInt(utterances.size());
            for (Utterance u : utterances) {
                out.writeUTF(u.id());
                out.writeUTF(u.voice());
                out.writeUTF(u.split());
                out.writeUTF(u.symbols());
                out.writeInt(u.codes().length);
                for (int c : u.codes()) out.writeInt(c);
            }
            out.flush();
        });
    }

    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no utterance cache");
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) throw new IOException(file + ": not an utterance cache (bad magic)");
            int version = in.readInt();
            if (version != VERSION) throw new IOException(file + ": unsupported utterance cache version " + version);
            String codec = in.readUTF();
            int k = in.readInt();
            int n = in.readInt();
            if (n < 0) throw new IOException(file + ": negative utterance count");
            List<Utterance> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = in.readUTF(), voice = in.readUTF(), split = in.readUTF(), symbols = in.readUTF();
                int len = in.readInt();
                if (len < 1 || len > 1 << 24) throw new IOException(file + ": utterance " + id + " has " + len + " codes");
                int[] codes = new int[len];
                for (int j = 0; j < len; j++) {
                    codes[j] = in.readInt();
                    if (codes[j] < 0 || codes[j] >= k) throw new IOException(file + ": utterance " + id + " has code " + codes[j] + " outside 0.." + (k - 1));
                }
                out.add(new Utterance(id, voice, split, symbols, codes));
            }
            return new Contents(codec, k, out);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated utterance cache", e);
        }
    }
}
