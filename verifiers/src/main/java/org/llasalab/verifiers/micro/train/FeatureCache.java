package org.llasalab.verifiers.micro.train;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.llasalab.dsp.Audio;
import org.llasalab.io.AtomicFiles;
import org.llasalab.microworld.CorpusManifest;
import org.llasalab.verifiers.micro.MicroFrontEnd;

/**
 * Log-mel features of a whole micro-world corpus, computed once: {@code feats.f16} (all frames,
 * 80 half floats each, utterance after utterance) and {@code index.tsv} (one line per utterance: id,
 * speaker, style, split, first frame, frames, phonemes, text). Training maps it into memory.
 */
public final class FeatureCache {
    public record Utt(String id, String speaker, String style, String split, long offset, int frames, String phonemes,
            String text) {}

    private final List<Utt> utts;
    private final java.nio.ShortBuffer data;

    private FeatureCache(List<Utt> utts, java.nio.ShortBuffer data) {
        this.utts = utts;
        this.data = data;
    }

    public List<Utt> utts() { return utts; }

    /** Frames [frames][80] of one utterance. */
    public float[][] frames(Utt u) {
        float[][] out = new float[u.frames()][MicroFrontEnd.MELS];
        int base = Math.toIntExact(u.offset() * MicroFrontEnd.MELS);
        for (int t = 0; t < u.frames(); t++) {
            for (int m = 0; m < MicroFrontEnd.MELS; m++) out[t][m] = Float.float16ToFloat(data.get(base + t * MicroFrontEnd.MELS + m));
        }
        return out;
    }

    public static FeatureCache read(Path dir) throws IOException {
        Path index = dir.resolve("index.tsv");
        Path feats = dir.resolve("feats.f16");
        if (!Files.isRegularFile(index) || !Files.isRegularFile(feats)) throw new IOException(dir + ": no feature cache (index.tsv, feats.f16)");
        List<Utt> utts = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
            lineNo++;
            String[] f = line.split("\t", -1);
            if (f.length != 8) throw new IOException(index + ":" + lineNo + ": expected 8 tab-separated fields, got " + f.length);
            utts.add(new Utt(f[0], f[1], f[2], f[3], Long.parseLong(f[4]), Integer.parseInt(f[5]), f[6], f[7]));
        }
        long n = Files.size(feats) / 2;
        Utt last = utts.get(utts.size() - 1);
        if ((last.offset() + last.frames()) * MicroFrontEnd.MELS != n) throw new IOException(feats + ": size does not match " + index);
        java.nio.ShortBuffer data;
        try (FileChannel ch = FileChannel.open(feats, StandardOpenOption.READ)) {
            // Mapped, not copied: the pages are shared by concurrent trainings and reclaimable.
            data = ch.map(FileChannel.MapMode.READ_ONLY, 0, Files.size(feats)).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        }
        return new FeatureCache(List.copyOf(utts), data);
    }

    /** Builds the cache of every utterance of {@code corpus} into {@code out} with {@code threads} workers. */
    public static void build(Path corpus, Path out, int threads) throws Exception {
        build(corpus, out, threads, null, 1);
    }

    /**
     * Builds the cache of every {@code every}-th utterance of {@code corpus} (all of them when 1); with a
     * codec, of the utterances encoded and decoded by it (codec-resynthesised audio).
     */
    public static void build(Path corpus, Path out, int threads, org.llasalab.codec.SpeechCodec codec, int every) throws Exception {
        CorpusManifest full = CorpusManifest.read(corpus);
        List<CorpusManifest.Entry> selected = new ArrayList<>();
        for (int i = 0; i < full.entries().size(); i += every) selected.add(full.entries().get(i));
        build(full, selected, out, threads, codec);
    }

    private static void build(CorpusManifest manifest, List<CorpusManifest.Entry> entries, Path out, int threads,
            org.llasalab.codec.SpeechCodec codec) throws Exception {
        Files.createDirectories(out);
        StringBuilder index = new StringBuilder();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicFiles.writeStream(out.resolve("feats.f16"), os -> writeFeatures(manifest, entries, codec, pool, os, index));
        } finally {
            pool.shutdown();
        }
        AtomicFiles.write(out.resolve("index.tsv"), index.toString());
    }

    /** Computes the features on {@code pool}, writes them in order to {@code os} and their lines to {@code index}. */
    private static void writeFeatures(CorpusManifest manifest, List<CorpusManifest.Entry> entries, org.llasalab.codec.SpeechCodec codec,
            ExecutorService pool, OutputStream os, StringBuilder index) throws IOException {
        long offset = 0;
        int chunk = 256;
        for (int start = 0; start < entries.size(); start += chunk) {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int i = start; i < Math.min(entries.size(), start + chunk); i++) {
                CorpusManifest.Entry e = entries.get(i);
                futures.add(pool.submit(() -> {
                    Audio a = manifest.audio(e);
                    if (a.sampleRate() != MicroFrontEnd.SAMPLE_RATE) throw new IOException(manifest.wav(e) + ": sample rate " + a.sampleRate() + ", expected 16000");
                    float[] x = codec == null ? a.samples() : codec.decode(codec.encode(a.samples()));
                    return MicroFrontEnd.logMel(x);
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                CorpusManifest.Entry e = entries.get(start + i);
                float[][] f = result(futures.get(i));
                byte[] bytes = new byte[f.length * MicroFrontEnd.MELS * 2];
                ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (float[] row : f) for (float v : row) bb.putShort(Float.floatToFloat16(v));
                os.write(bytes);
                index.append(String.join("\t", e.id(), e.speaker(), e.style(), e.split(), Long.toString(offset),
                        Integer.toString(f.length), e.phonemes(), e.text())).append('\n');
                offset += f.length;
            }
            System.err.printf("features: %d/%d utterances, %d frames%n", Math.min(entries.size(), start + chunk), entries.size(), offset);
        }
    }

    /** A worker's result; its I/O error (which names the wav file) or unchecked failure is rethrown as it is. */
    private static float[][] result(Future<float[][]> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while computing features");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        }
    }

    public static void main(String[] args) throws Exception {
        // FeatureCache CORPUS OUT [THREADS [CODEC EVERY]]
        org.llasalab.codec.SpeechCodec codec = args.length > 3
                ? org.llasalab.codec.Codecs.open(args[3], org.llasalab.microworld.Catalogue::lookup) : null;
        build(Path.of(args[0]), Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 2, codec,
                args.length > 4 ? Integer.parseInt(args[4]) : 1);
    }
}
