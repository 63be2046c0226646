package org.llasalab.verifiers.whisper;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperContextParams;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;
import io.github.givimad.whisperjni.WhisperState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.llasalab.verifiers.wer.AsrBackend;

/**
 * Whisper through whisper.cpp (whisper-jni): English forced, transcription (not translation), greedy
 * decoding at temperature 0 without temperature fallback, no timestamps. One model context is shared by
 * a pool of decoder states, one per worker thread, so a batch is transcribed on several cores at once.
 */
public final class WhisperAsr implements AsrBackend {
    /** whisper.cpp returns nothing for inputs under one second; shorter audio is padded with silence. */
    private static final int MIN_SAMPLES = 16_000 + 1_600;

    private final Path modelFile;
    private final WhisperJNI whisper;
    private final WhisperContext context;
    private final BlockingQueue<WhisperState> states;
    private final List<WhisperState> allStates = new ArrayList<>();
    private final ExecutorService workers;
    private final int threadsPerState;
    private final String language;

    /**
     * Opens {@code modelFile} (e.g. {@code ggml-large-v3.bin}) with {@code poolSize} decoder states of
     * {@code threadsPerState} threads each. The file's structure is checked first, in Java.
     */
    public WhisperAsr(Path modelFile, int poolSize, int threadsPerState, String language) throws IOException {
        if (poolSize < 1 || threadsPerState < 1) {
            throw new IllegalArgumentException("whisper: pool size and threads per state must be positive");
        }
        this.modelFile = modelFile;
        this.threadsPerState = threadsPerState;
        this.language = language;
        GgmlModelFile.check(modelFile);
        try {
            WhisperJNI.loadLibrary();
        } catch (IOException | UnsatisfiedLinkError e) {
            throw new IOException("whisper: cannot load the whisper.cpp native library: " + e.getMessage(), e);
        }
        WhisperJNI.setLibraryLogger(null);
        this.whisper = new WhisperJNI();
        WhisperContextParams params = new WhisperContextParams();
        params.useGPU = false;
        WhisperContext ctx;
        try {
            ctx = whisper.initNoState(modelFile, params);
        } catch (IOException | RuntimeException e) {
            throw new IOException("whisper: cannot load model file " + modelFile + ": " + e.getMessage(), e);
        }
        if (ctx == null) {
            throw new IOException("whisper: cannot load model file " + modelFile + " (whisper.cpp rejected it)");
        }
        this.context = ctx;
        this.states = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            WhisperState state = whisper.initState(context);
            if (state == null) {
                close();
                throw new IOException("whisper: cannot allocate a decoder state for " + modelFile);
            }
            allStates.add(state);
            states.add(state);
        }
        this.workers = Executors.newFixedThreadPool(poolSize, r -> {
            Thread t = new Thread(r, "whisper-worker");
            t.setDaemon(true);
            return t;
        });
    }

    private WhisperFullParams decodeParams() {
        WhisperFullParams p = new WhisperFullParams(WhisperSamplingStrategy.GREEDY);
        p.language = language;
        p.detectLanguage = false;
        p.translate = false;
        p.temperature = 0f;
        p.temperatureInc = 0f;
        p.greedyBestOf = 1;
        p.nThreads = threadsPerState;
        p.noTimestamps = true;
        p.printProgress = false;
        p.printRealtime = false;
        p.printSpecial = false;
        p.printTimestamps = false;
        return p;
    }

    @Override
    public List<String> transcribe(List<float[]> audio16k) {
        List<Future<String>> futures = new ArrayList<>(audio16k.size());
        for (float[] audio : audio16k) {
            futures.add(workers.submit(() -> transcribeOne(audio)));
        }
        List<String> out = new ArrayList<>(audio16k.size());
        try {
            for (Future<String> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("whisper: interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("whisper: " + e.getCause().getMessage(), e.getCause());
        }
        return out;
    }

    private String transcribeOne(float[] audio) throws InterruptedException {
        float[] samples = audio.length >= MIN_SAMPLES ? audio : Arrays.copyOf(audio, MIN_SAMPLES);
        WhisperState state = states.take();
        try {
            int rc = whisper.fullWithState(context, state, decodeParams(), samples, samples.length);
            if (rc != 0) {
                throw new IllegalStateException("whisper.cpp failed with code " + rc + " (model " + modelFile + ")");
            }
            StringBuilder sb = new StringBuilder();
            int n = whisper.fullNSegmentsFromState(state);
            for (int i = 0; i < n; i++) {
                sb.append(whisper.fullGetSegmentTextFromState(state, i));
            }
            return sb.toString().strip();
        } finally {
            states.put(state);
        }
    }

    @Override
    public void close() {
        if (workers != null) workers.shutdownNow();
        for (WhisperState s : allStates) s.close();
        allStates.clear();
        if (context != null) context.close();
    }
}
