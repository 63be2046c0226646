package org.llasalab.verifiers.whisper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks the structure of a whisper.cpp ggml model file in Java before native code opens it, so that a
 * corrupt or truncated file fails with a message naming the file instead of crashing the JVM. The
 * layout: magic {@code 0x67676d6c}, eleven int32 hyper-parameters, the mel filters ({@code n_mel},
 * {@code n_fft}, floats), the vocabulary ({@code n}, then length-prefixed tokens), then tensors until
 * the end of the file ({@code n_dims}, name length, type, dimensions, name, data).
 */
public final class GgmlModelFile {
    static final int MAGIC = 0x67676d6c;

    /** The model's hyper-parameters as stored in the file. */
    public record HParams(int nVocab, int nAudioCtx, int nAudioState, int nAudioHead, int nAudioLayer, int nTextCtx,
                          int nTextState, int nTextHead, int nTextLayer, int nMels, int ftype, int tensors) {}

    private GgmlModelFile() {}

    /** Reads and checks the whole file's structure; throws {@link IOException} naming the file and the problem. */
    public static HParams check(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Reader r = new Reader(file, ch);
            int magic = r.int32("magic");
            if (magic != MAGIC) {
                throw r.bad(String.format("not a whisper.cpp ggml model (magic 0x%08x, expected 0x%08x)", magic, MAGIC));
            }
            int[] h = new int[11];
            for (int i = 0; i < h.length; i++) {
                h[i] = r.int32("hyper-parameter " + i);
            }
            for (int i = 0; i < 10; i++) {
                if (h[i] <= 0 || h[i] > 1_000_000) {
                    throw r.bad("implausible hyper-parameter " + i + " = " + h[i]);
                }
            }
            int nMel = r.int32("mel filter count");
            int nFft = r.int32("mel filter size");
            if (nMel <= 0 || nMel > 1024 || nFft <= 0 || nFft > 65536) {
                throw r.bad("implausible mel filter shape " + nMel + " x " + nFft);
            }
            r.skip(4L * nMel * nFft, "mel filters");
            int nTokens = r.int32("vocabulary size");
            if (nTokens < 0 || nTokens > 10_000_000) {
                throw r.bad("implausible vocabulary size " + nTokens);
            }
            for (int i = 0; i < nTokens; i++) {
                int len = r.int32("token " + i + " length");
                if (len < 0 || len > 1 << 20) throw r.bad("implausible length " + len + " of token " + i);
                r.skip(len, "token " + i);
            }
            int tensors = 0;
            while (r.remaining() > 0) {
                int nDims = r.int32("tensor " + tensors + " rank");
                int nameLength = r.int32("tensor " + tensors + " name length");
                int type = r.int32("tensor " + tensors + " type");
                if (nDims < 1 || nDims > 4 || nameLength <= 0 || nameLength > 4096) {
                    throw r.bad("malformed header of tensor " + tensors + " (rank " + nDims + ", name length " + nameLength + ")");
                }
                long elements = 1;
                for (int d = 0; d < nDims; d++) {
                    int ne = r.int32("tensor " + tensors + " dimension " + d);
                    if (ne <= 0) throw r.bad("tensor " + tensors + " has dimension " + ne);
                    elements = Math.multiplyExact(elements, ne);
                }
                r.skip(nameLength, "tensor " + tensors + " name");
                r.skip(bytes(type, elements, r, tensors), "tensor " + tensors + " data");
                tensors++;
            }
            if (tensors == 0) {
                throw r.bad("no tensors (the file ends after the vocabulary)");
            }
            if (h[10] % 1000 == 0) {
                // whisper.cpp then keeps the convolutions in f32 and aborts the process in im2col
                throw r.bad("float32 model (ftype 0): the bundled whisper.cpp aborts on these; "
                        + "convert it with f16 weights (e.g. ggml-large-v3.bin as published) or quantise it");
            }
            return new HParams(h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], tensors);
        }
    }

    private static long bytes(int type, long elements, Reader r, int tensor) throws IOException {
        // ggml types: block size in elements and bytes per block
        int[] block = switch (type) {
            case 0 -> new int[] {1, 4};      // F32
            case 1 -> new int[] {1, 2};      // F16
            case 2 -> new int[] {32, 18};    // Q4_0
            case 3 -> new int[] {32, 20};    // Q4_1
            case 6 -> new int[] {32, 22};    // Q5_0
            case 7 -> new int[] {32, 24};    // Q5_1
            case 8 -> new int[] {32, 34};    // Q8_0
            case 10 -> new int[] {256, 84};  // Q2_K
            case 11 -> new int[] {256, 110}; // Q3_K
            case 12 -> new int[] {256, 144}; // Q4_K
            case 13 -> new int[] {256, 176}; // Q5_K
            case 14 -> new int[] {256, 210}; // Q6_K
            default -> throw r.bad("tensor " + tensor + " has unsupported ggml type " + type);
        };
        if (elements % block[0] != 0) {
            throw r.bad("tensor " + tensor + " has " + elements + " elements, not a multiple of its block size " + block[0]);
        }
        return elements / block[0] * block[1];
    }

    private static final class Reader {
        private final Path file;
        private final FileChannel ch;
        private final long size;
        private final ByteBuffer four = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        private long pos;

        Reader(Path file, FileChannel ch) throws IOException {
            this.file = file;
            this.ch = ch;
            this.size = ch.size();
        }

        long remaining() {
            return size - pos;
        }

        int int32(String what) throws IOException {
            if (remaining() < 4) throw bad("truncated at byte " + pos + " (reading " + what + ")");
            four.clear();
            while (four.hasRemaining()) {
                if (ch.read(four, pos + four.position()) < 0) throw bad("truncated at byte " + pos);
            }
            pos += 4;
            return four.getInt(0);
        }

        void skip(long n, String what) throws IOException {
            if (n < 0 || remaining() < n) {
                throw bad("truncated: " + what + " needs " + n + " bytes at byte " + pos + ", the file has " + remaining() + " left");
            }
            pos += n;
        }

        IOException bad(String problem) {
            return new IOException("whisper model file " + file + ": " + problem);
        }
    }
}
