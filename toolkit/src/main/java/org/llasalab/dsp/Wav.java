package org.llasalab.dsp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.llasalab.io.AtomicFiles;

/**
 * WAV files: reads PCM 8/16/24/32-bit and IEEE float 32/64 (plain or WAVE_FORMAT_EXTENSIBLE), any
 * number of channels (mixed to mono), skipping chunks other than {@code fmt } and {@code data};
 * writes mono 16-bit PCM or 32-bit float, atomically. Malformed input throws {@link WavException}
 * naming the file and the problem.
 */
public final class Wav {
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    /** A malformed or unsupported WAV file. */
    public static final class WavException extends IOException {
        public WavException(Path file, String problem) {
            super(file + ": " + problem);
        }
    }

    private Wav() {}

    public static Audio read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new WavException(file, "no such file");
        }
        return parse(file, Files.readAllBytes(file));
    }

    /** Parses WAV bytes; {@code file} only names the source in errors. */
    public static Audio parse(Path file, byte[] bytes) throws WavException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12) {
            throw new WavException(file, "too short for a WAV header (" + bytes.length + " bytes)");
        }
        if (!tag(bytes, 0).equals("RIFF") || !tag(bytes, 8).equals("WAVE")) {
            throw new WavException(file, "not a RIFF/WAVE file (starts with '" + org.llasalab.io.Printable.of(tag(bytes, 0)) + "')");
        }
        int format = -1;
        int channels = 0;
        int sampleRate = 0;
        int bits = 0;
        int dataOffset = -1;
        long dataLength = 0;
        int pos = 12;
        while ((long) pos + 8 <= bytes.length) { // long: a chunk size near 4 GiB puts pos at Integer.MAX_VALUE
            String id = tag(bytes, pos);
            long size = Integer.toUnsignedLong(buf.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + size > bytes.length) {
                    throw new WavException(file, "truncated fmt chunk");
                }
                format = Short.toUnsignedInt(buf.getShort(body));
                channels = Short.toUnsignedInt(buf.getShort(body + 2));
                sampleRate = buf.getInt(body + 4);
                bits = Short.toUnsignedInt(buf.getShort(body + 14));
                if (format == FORMAT_EXTENSIBLE) {
                    if (size < 26) {
                        throw new WavException(file, "WAVE_FORMAT_EXTENSIBLE fmt chunk too short");
                    }
                    format = Short.toUnsignedInt(buf.getShort(body + 24));
                }
            } else if (id.equals("data")) {
                dataOffset = body;
                dataLength = Math.min(size, bytes.length - (long) body);
                if (size > bytes.length - (long) body && size != 0xFFFFFFFFL) {
                    throw new WavException(file, "truncated data chunk: header says " + size + " bytes, file has "
                            + (bytes.length - body));
                }
                break;
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        if (format < 0) throw new WavException(file, "no fmt chunk");
        if (dataOffset < 0) throw new WavException(file, "no data chunk");
        if (channels <= 0) throw new WavException(file, "channel count is " + channels);
        if (sampleRate <= 0) throw new WavException(file, "sample rate is " + sampleRate);
        boolean isFloat = format == FORMAT_FLOAT;
        if (format != FORMAT_PCM && !isFloat) {
            throw new WavException(file, "unsupported audio format " + format + " (only PCM and IEEE float)");
        }
        if (isFloat ? (bits != 32 && bits != 64) : (bits != 8 && bits != 16 && bits != 24 && bits != 32)) {
            throw new WavException(file, "unsupported " + (isFloat ? "float" : "PCM") + " bit depth " + bits);
        }
        int bytesPerSample = bits / 8;
        int frameBytes = bytesPerSample * channels;
        int frames = (int) (dataLength / frameBytes);
        float[] mono = new float[frames];
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            int base = dataOffset + f * frameBytes;
            for (int c = 0; c < channels; c++) {
                sum += sample(buf, base + c * bytesPerSample, bits, isFloat);
            }
            mono[f] = (float) (sum / channels);
        }
        return new Audio(mono, sampleRate);
    }

    private static double sample(ByteBuffer buf, int at, int bits, boolean isFloat) {
        if (isFloat) {
            return bits == 32 ? buf.getFloat(at) : buf.getDouble(at);
        }
        return switch (bits) {
            case 8 -> (Byte.toUnsignedInt(buf.get(at)) - 128) / 128.0;
            case 16 -> buf.getShort(at) / 32768.0;
            case 24 -> ((buf.get(at) & 0xFF) | (buf.get(at + 1) & 0xFF) << 8 | buf.get(at + 2) << 16) / 8388608.0;
            default -> buf.getInt(at) / 2147483648.0;
        };
    }

    private static String tag(byte[] b, int at) {
        if ((long) at + 4 > b.length) return "";
        return new String(b, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Writes mono audio as 16-bit PCM ({@code float32 == false}) or 32-bit float, atomically. */
    public static void write(Path file, Audio audio, boolean float32) throws IOException {
        AtomicFiles.write(file, encode(audio, float32));
    }

    public static byte[] encode(Audio audio, boolean float32) {
        float[] s = audio.samples();
        int bits = float32 ? 32 : 16;
        int dataBytes = s.length * bits / 8;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).putInt(36 + dataBytes);
        b.put("WAVE".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).putInt(16);
        b.putShort((short) (float32 ? FORMAT_FLOAT : FORMAT_PCM)).putShort((short) 1);
        b.putInt(audio.sampleRate()).putInt(audio.sampleRate() * bits / 8);
        b.putShort((short) (bits / 8)).putShort((short) bits);
        b.put("data".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).putInt(dataBytes);
        for (float v : s) {
            if (float32) {
                b.putFloat(v);
            } else {
                float c = Math.max(-1f, Math.min(1f, v));
                b.putShort((short) Math.round(c * 32767f));
            }
        }
        return b.array();
    }
}
