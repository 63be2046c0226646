package org.llasalab.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.llasalab.lm.LanguageModel;
import org.llasalab.lm.LogitMask;
import org.llasalab.lm.Sampler;
import org.llasalab.lm.SamplingParams;
import org.llasalab.lm.SequenceBatch;
import org.llasalab.lm.SpeechTokens;

/**
 * The sequences of one request's search on one {@link SequenceBatch}: prefill once, fork without
 * recomputation, advance many sequences together by batched steps, each drawing from its own seeded
 * random stream, drawing only speech tokens and the end marker (the engine's {@link Sampler} under
 * {@link LogitMask#speech}). Counts LM work per sequence (so that best-of-N budgets can be accounted) and in total.
 */
final class Rollouts implements AutoCloseable {

    /** One live or finished sequence and the work done on it since it was started or forked. */
    static final class Seq {
        final int handle;
        final int promptLength;
        SplittableRandom rng;
        int[] prompt;
        int[] codes;
        int generated;          // tokens drawn, end marker included
        double logProbSum;
        boolean finished;
        boolean alive = true;
        long ownDecodeTokens;
        double ownFlops;
        double ownWallSeconds;
        /** A started (not forked) sequence: its prefill's tokens, FLOPs and wall seconds. */
        long prefillTokens;
        double prefillFlops;
        double prefillWallSeconds;

        Seq(int handle, int promptLength, long seed) {
            this.handle = handle;
            this.promptLength = promptLength;
            this.rng = new SplittableRandom(seed);
            this.codes = new int[0];
        }

        int[] codes() {
            return codes;
        }

        /** Prompt and generated ids so far (for the repetition penalty). */
        int[] history(SpeechTokens speech) {
            int[] h = Arrays.copyOf(prompt, prompt.length + codes.length);
            for (int i = 0; i < codes.length; i++) h[prompt.length + i] = codes[i] + speech.offset();
            return h;
        }

        double meanLogProb() {
            return generated == 0 ? 0 : logProbSum / generated;
        }
    }

    private final LanguageModel lm;
    private final SequenceBatch batch;
    private final SpeechTokens speech;
    private final Sampler sampler;
    private final LogitMask mask;
    private final int maxTokens;
    long prefillTokens;
    long decodeTokens;
    double flops;

    Rollouts(SearchModels models, SamplingParams sampling, int maxTokens, int maxSequences, int promptLength) {
        this.lm = models.lm();
        this.speech = models.speech();
        this.sampler = new Sampler(sampling);
        this.mask = LogitMask.speech(models.speech());
        this.maxTokens = maxTokens;
        this.batch = lm.newBatch(maxSequences, promptLength + maxTokens + 1);
    }

    int maxTokens() {
        return maxTokens;
    }

    /** Prefills the prompt once; the sequence draws from a stream seeded with {@code seed}. */
    Seq start(int[] prompt, long seed) {
        if (prompt == null || prompt.length == 0) throw new IllegalArgumentException("empty prompt");
        long t0 = System.nanoTime();
        int handle = batch.prefill(prompt);
        // only speech tokens and the end marker are ever drawn: the LM may skip the rest of its head
        batch.setLogitWindow(handle, mask.windowFrom(), mask.windowTo());
        Seq s = new Seq(handle, prompt.length, seed);
        s.prompt = prompt.clone();
        s.prefillWallSeconds = (System.nanoTime() - t0) / 1e9;
        s.prefillTokens = prompt.length;
        for (int c = 1; c <= prompt.length; c++) s.prefillFlops += lm.flopsPerToken(c);
        prefillTokens += s.prefillTokens;
        flops += s.prefillFlops;
        return s;
    }

    /** A copy of {@code parent} (cache forked, not recomputed) drawing from a new stream. */
    Seq fork(Seq parent, long seed) {
        if (!parent.alive) throw new IllegalStateException("fork of a freed sequence");
        Seq s = new Seq(batch.fork(parent.handle), parent.promptLength, seed);
        s.prompt = parent.prompt;
        s.codes = parent.codes.clone();
        s.generated = parent.generated;
        s.logProbSum = parent.logProbSum;
        s.finished = parent.finished;
        return s;
    }

    /** Gives {@code s} a fresh random stream (a surviving beam reused as one of its own continuations). */
    void reseed(Seq s, long seed) {
        s.rng = new SplittableRandom(seed);
    }

    void free(Seq s) {
        if (s.alive) {
            batch.free(s.handle);
            s.alive = false;
        }
    }

    /**
     * Advances every unfinished sequence of {@code seqs} by up to {@code newTokens} tokens (never past
     * max_tokens), all together: one batched LM step per token position. A sequence stops at the end marker.
     */
    void advance(List<Seq> seqs, int newTokens) {
        int[] target = new int[seqs.size()];
        for (int i = 0; i < seqs.size(); i++) target[i] = Math.min(maxTokens, seqs.get(i).generated + newTokens);
        boolean penalised = sampler.params().repetitionPenalty() != 1;
        while (true) {
            List<Seq> active = new ArrayList<>();
            List<Integer> drawn = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < seqs.size(); i++) {
                Seq s = seqs.get(i);
                if (s.finished || s.generated >= target[i]) continue;
                int[] history = penalised ? s.history(speech) : null;
                Sampler.Choice d = sampler.sample(batch.logits(s.handle), mask, history, s.rng);
                s.generated++;
                s.logProbSum += d.logProb();
                if (d.token() == speech.endId()) {
                    s.finished = true;
                    continue;
                }
                s.codes = Arrays.copyOf(s.codes, s.codes.length + 1);
                s.codes[s.codes.length - 1] = d.token() - speech.offset();
                if (s.generated < maxTokens) { // a sequence at max_tokens never needs its next logits
                    active.add(s);
                    drawn.add(d.token());
                }
            }
            if (!active.isEmpty()) {
                int[] handles = new int[active.size()];
                int[] tokens = new int[active.size()];
                for (int i = 0; i < handles.length; i++) {
                    handles[i] = active.get(i).handle;
                    tokens[i] = drawn.get(i);
                }
                batch.step(handles, tokens);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (Seq s : active) {
                s.ownDecodeTokens++;
                double f = lm.flopsPerToken(batch.length(s.handle));
                s.ownFlops += f;
                flops += f;
                s.ownWallSeconds += seconds / active.size();
            }
            decodeTokens += active.size();
            boolean more = false;
            for (int i = 0; i < seqs.size(); i++) {
                Seq s = seqs.get(i);
                if (!s.finished && s.generated < target[i]) more = true;
            }
            if (!more) return;
        }
    }

    /** The LM part of a ledger: everything done on this batch so far. */
    ComputeLedger ledger() {
        return new ComputeLedger(prefillTokens, decodeTokens, flops, 0, 0, 0, 0);
    }

    @Override
    public void close() {
        batch.close();
    }
}
