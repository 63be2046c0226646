package org.llasalab.lm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.llasalab.io.LlamaConfig;
import org.llasalab.tensor.Kernels;
import org.llasalab.tensor.MatMul;
import org.llasalab.tensor.MatMul.Job;

/**
 * Sequences of one {@link LlamaModel} decoded together. Every forward pass pushes a set of rows
 * (sequence, token, position) through the layers at once, so each weight matrix is streamed once
 * per step whatever the number of sequences; a prompt's rows go through the same path in chunks.
 * The KV cache is f32 on the heap, in pages of {@value #PAGE} positions per layer: keys transposed (a
 * position's key is a column, so the scores of a page are L positions at a time with no lane
 * reductions), values as rows; {@link #fork} shares the full pages (they are never written again) and
 * copies only the last, partial one.
 */
public final class LlamaBatch implements SequenceBatch {
    static final int PAGE = 64;
    private static final int PREFILL_CHUNK = 32;

    private static final class Seq {
        int[] tokens;
        int length;
        final List<List<float[]>> kPages;
        final List<List<float[]>> vPages;
        float[] logits;
        int windowFrom, windowTo;   // requested logit window
        int filledFrom, filledTo;   // range of logits holding real values (rest is -inf)

        Seq(int layers, int vocab) {
            tokens = new int[64];
            kPages = new ArrayList<>(layers);
            vPages = new ArrayList<>(layers);
            for (int l = 0; l < layers; l++) {
                kPages.add(new ArrayList<>());
                vPages.add(new ArrayList<>());
            }
            logits = new float[vocab];
            windowTo = vocab;
        }
    }

    private final LlamaModel model;
    private final LlamaConfig c;
    private final int maxSequences;
    private final int maxTokens;
    private final int rowCapacity;
    private final Seq[] slots;
    private final int dim, qDim, kvDim, hidden, heads, kvHeads, headDim, vocab;
    private final float eps;
    private final float attnScale;

    // activations of the rows of one forward pass, row-major
    private final float[] x, xb, q, k, v, att, hb, hb2;
    private final float[][] scores; // per worker: a row of scoreStride for each query head of a group
    private final int scoreStride;
    private float[] headIn = new float[0];
    private float[] headOut = new float[0];
    private final Seq[] rowSeq;
    private final int[] rowToken, rowPos;
    private long prefillTokens, decodeTokens;
    private long attentionNanos, matrixNanos;
    private boolean closed;

    LlamaBatch(LlamaModel model, int maxSequences, int maxTokens) {
        if (maxSequences < 1 || maxTokens < 1) throw new IllegalArgumentException("maxSequences and maxTokens must be >= 1");
        this.model = model;
        this.c = model.config;
        this.maxSequences = maxSequences;
        this.maxTokens = maxTokens;
        this.rowCapacity = Math.max(maxSequences, PREFILL_CHUNK);
        this.slots = new Seq[maxSequences];
        this.dim = c.hiddenSize();
        this.qDim = c.queryDim();
        this.kvDim = c.kvDim();
        this.hidden = c.intermediateSize();
        this.heads = c.numHeads();
        this.kvHeads = c.numKvHeads();
        this.headDim = c.headDim();
        this.vocab = c.vocabSize();
        this.eps = (float) c.rmsNormEps();
        this.attnScale = (float) Math.sqrt(headDim);
        x = new float[rowCapacity * dim];
        xb = new float[rowCapacity * Math.max(dim, qDim)];
        q = new float[rowCapacity * qDim];
        k = new float[rowCapacity * kvDim];
        v = new float[rowCapacity * kvDim];
        att = new float[rowCapacity * qDim];
        hb = new float[rowCapacity * hidden];
        hb2 = new float[rowCapacity * hidden];
        scoreStride = (maxTokens + PAGE - 1) / PAGE * PAGE;
        scores = new float[model.pool.threads()][(heads / kvHeads) * scoreStride];
        rowSeq = new Seq[rowCapacity];
        rowToken = new int[rowCapacity];
        rowPos = new int[rowCapacity];
        model.rope.ensure(maxTokens);
    }

    // ---- SequenceBatch -------------------------------------------------------------------------

    @Override
    public int prefill(int[] promptIds) {
        int slot = freeSlot();
        Seq s = new Seq(c.numLayers(), vocab);
        runPrompt(s, promptIds, false);
        slots[slot] = s;
        return slot;
    }

    /** Logits at every position of {@code ids} (for checks and the {@code logits} command). */
    float[][] prefillAll(int[] ids) {
        Seq s = new Seq(c.numLayers(), vocab);
        return runPrompt(s, ids, true);
    }

    private float[][] runPrompt(Seq s, int[] ids, boolean allLogits) {
        ensureOpen();
        if (ids.length == 0) throw new IllegalArgumentException("empty prompt");
        checkCapacity(s, ids.length);
        for (int id : ids) checkId(id);
        float[][] all = allLogits ? new float[ids.length][] : null;
        for (int start = 0; start < ids.length; start += rowCapacity) {
            int n = Math.min(rowCapacity, ids.length - start);
            for (int i = 0; i < n; i++) {
                rowSeq[i] = s;
                rowToken[i] = ids[start + i];
                rowPos[i] = s.length + i;
            }
            append(s, ids, start, n);
            forward(n);
            if (allLogits) {
                int[] rows = new int[n];
                for (int i = 0; i < n; i++) rows[i] = i;
                float[] out = head(rows, 0, vocab);
                for (int i = 0; i < n; i++) all[start + i] = Arrays.copyOfRange(out, i * vocab, (i + 1) * vocab);
            } else if (start + n == ids.length) {
                storeLogits(new int[] {n - 1}, s.windowFrom, s.windowTo);
            }
        }
        prefillTokens += ids.length;
        return all;
    }

    @Override
    public int fork(int seq) {
        Seq src = live(seq);
        int slot = freeSlot();
        Seq s = new Seq(0, 0);
        s.tokens = src.tokens.clone();
        s.length = src.length;
        boolean partial = src.length % PAGE != 0;
        for (int l = 0; l < c.numLayers(); l++) {
            s.kPages.add(sharePages(src.kPages.get(l), partial));
            s.vPages.add(sharePages(src.vPages.get(l), partial));
        }
        s.logits = src.logits.clone();
        s.windowFrom = src.windowFrom;
        s.windowTo = src.windowTo;
        s.filledFrom = src.filledFrom;
        s.filledTo = src.filledTo;
        slots[slot] = s;
        return slot;
    }

    private static List<float[]> sharePages(List<float[]> pages, boolean copyLast) {
        List<float[]> copy = new ArrayList<>(pages);
        if (copyLast && !copy.isEmpty()) copy.set(copy.size() - 1, copy.getLast().clone());
        return copy;
    }

    @Override
    public void free(int seq) {
        live(seq);
        slots[seq] = null;
    }

    @Override
    public int length(int seq) {
        return live(seq).length;
    }

    @Override
    public int[] tokens(int seq) {
        Seq s = live(seq);
        return Arrays.copyOf(s.tokens, s.length);
    }

    @Override
    public void step(int[] seqs, int[] tokens) {
        ensureOpen();
        if (seqs.length != tokens.length) throw new IllegalArgumentException("seqs and tokens differ in length");
        if (seqs.length == 0) return;
        if (seqs.length > rowCapacity) throw new IllegalArgumentException("more rows than the batch holds");
        int from = vocab, to = 0;
        for (int i = 0; i < seqs.length; i++) {
            Seq s = live(seqs[i]);
            for (int j = 0; j < i; j++) {
                if (seqs[j] == seqs[i]) throw new IllegalArgumentException("sequence " + seqs[i] + " appears twice in one step");
            }
            checkCapacity(s, 1);
            checkId(tokens[i]);
            rowSeq[i] = s;
            rowToken[i] = tokens[i];
            rowPos[i] = s.length;
            from = Math.min(from, s.windowFrom);
            to = Math.max(to, s.windowTo);
        }
        for (int i = 0; i < seqs.length; i++) append(rowSeq[i], tokens, i, 1);
        forward(seqs.length);
        int[] rows = new int[seqs.length];
        for (int i = 0; i < rows.length; i++) rows[i] = i;
        storeLogits(rows, from, to);
        decodeTokens += seqs.length;
    }

    @Override
    public float[] logits(int seq) {
        return live(seq).logits;
    }

    /**
     * Restricts the next steps' output head of {@code seq} to ids {@code [fromId, toId)}: logits
     * outside it may then be {@code -Infinity}. Exact when the caller samples only inside the window
     * (as under the speech-token mask); {@code (0, vocab)} restores the full head.
     */
    @Override
    public void setLogitWindow(int seq, int fromId, int toId) {
        Seq s = live(seq);
        if (fromId < 0 || toId > vocab || fromId >= toId) {
            throw new IllegalArgumentException("logit window [" + fromId + ", " + toId + ") outside the vocabulary of " + vocab);
        }
        s.windowFrom = fromId;
        s.windowTo = toId;
    }

    @Override
    public long prefillTokens() {
        return prefillTokens;
    }

    @Override
    public long decodeTokens() {
        return decodeTokens;
    }

    /**
     * Wall time spent in attention (scores, softmax and the weighted sum of values, all layers) since this
     * batch was made, in nanoseconds: what grows with the context while the weight matrices do not.
     */
    public long attentionNanos() {
        return attentionNanos;
    }

    /**
     * Wall time spent in the weight matrices' products (the projections, the feed-forward and the output
     * head, all layers) since this batch was made, in nanoseconds.
     */
    public long matrixNanos() {
        return matrixNanos;
    }

    /** One parallel pass of products sharing the activations {@code x} (n rows), timed into {@link #matrixNanos}. */
    private void matmul(float[] x, int n, Job... jobs) {
        long t0 = System.nanoTime();
        MatMul.run(model.pool, x, n, jobs);
        matrixNanos += System.nanoTime() - t0;
    }

    @Override
    public void close() {
        closed = true;
        Arrays.fill(slots, null);
    }

    // ---- the forward pass ------------------------------------------------------------------------

    /**
     * Pushes rows 0..n-1 ({@code rowSeq}, {@code rowToken}, {@code rowPos}) through the decoder,
     * writing their keys and values into the caches and leaving the final normalised hidden states in
     * {@code xb}.
     */
    private void forward(int n) {
        var pool = model.pool;
        for (int i = 0; i < n; i++) model.embed.copyRow(rowToken[i], x, i * dim);
        for (int l = 0; l < model.layers.length; l++) {
            LlamaModel.Layer w = model.layers[l];
            // attention block: x += Wo . attention(rope(Wq h), rope(Wk h), Wv h), h = rmsnorm(x)
            for (int i = 0; i < n; i++) Kernels.rmsnorm(xb, i * dim, x, i * dim, w.attnNorm(), eps);
            matmul(xb, n, new Job(w.wq(), q, qDim, 0, qDim), new Job(w.wk(), k, kvDim, 0, kvDim),
                    new Job(w.wv(), v, kvDim, 0, kvDim));
            for (int i = 0; i < n; i++) {
                model.rope.apply(q, i * qDim, heads, rowPos[i]);
                model.rope.apply(k, i * kvDim, kvHeads, rowPos[i]);
                storeKv(rowSeq[i], l, rowPos[i], i);
            }
            int layer = l;
            long t0 = System.nanoTime();
            pool.forEach(n * kvHeads, (task, worker) -> attend(layer, task / kvHeads, task % kvHeads, scores[worker]));
            attentionNanos += System.nanoTime() - t0;
            matmul(att, n, new Job(w.wo(), xb, dim, 0, dim));
            Kernels.add(x, xb, n * dim);
            // feed-forward block: x += Wdown . (silu(Wgate h) * Wup h), h = rmsnorm(x)
            for (int i = 0; i < n; i++) Kernels.rmsnorm(xb, i * dim, x, i * dim, w.ffnNorm(), eps);
            matmul(xb, n, new Job(w.wGate(), hb, hidden, 0, hidden), new Job(w.wUp(), hb2, hidden, 0, hidden));
            Kernels.swiglu(hb, hb2, n * hidden);
            matmul(hb, n, new Job(w.wDown(), xb, dim, 0, dim));
            Kernels.add(x, xb, n * dim);
        }
        for (int i = 0; i < n; i++) Kernels.rmsnorm(xb, i * dim, x, i * dim, model.finalNorm, eps);
    }

    /**
     * Causal attention of row i's query heads that share key/value head g (grouped-query attention: they
     * read its cached keys and values once) over its sequence's positions 0..rowPos[i].
     */
    private void attend(int layer, int i, int g, float[] score) {
        Seq s = rowSeq[i];
        int pos = rowPos[i];
        int group = heads / kvHeads;
        int kvOff = g * headDim;
        int qOff = i * qDim + g * group * headDim;
        List<float[]> kp = s.kPages.get(layer);
        List<float[]> vp = s.vPages.get(layer);
        for (int page = 0, t0 = 0; t0 <= pos; page++, t0 += PAGE) {
            Kernels.scoresTransposed(q, qOff, headDim, group, kp.get(page), kvOff, PAGE, headDim, Math.min(PAGE, pos + 1 - t0),
                    attnScale, score, t0, scoreStride);
        }
        for (int h = 0; h < group; h++) Kernels.softmax(score, h * scoreStride, pos + 1);
        Arrays.fill(att, qOff, qOff + group * headDim, 0f);
        for (int page = 0, t0 = 0; t0 <= pos; page++, t0 += PAGE) {
            Kernels.weightedRows(score, t0, scoreStride, group, Math.min(PAGE, pos + 1 - t0), vp.get(page), kvOff, kvDim,
                    att, qOff, headDim, headDim);
        }
    }

    private void storeKv(Seq s, int layer, int pos, int row) {
        List<float[]> kp = s.kPages.get(layer);
        List<float[]> vp = s.vPages.get(layer);
        while (kp.size() <= pos / PAGE) {
            kp.add(new float[PAGE * kvDim]);
            vp.add(new float[PAGE * kvDim]);
        }
        float[] keys = kp.get(pos / PAGE);
        for (int d = 0, t = pos % PAGE; d < kvDim; d++) keys[d * PAGE + t] = k[row * kvDim + d];
        System.arraycopy(v, row * kvDim, vp.get(pos / PAGE), (pos % PAGE) * kvDim, kvDim);
    }

    /** Output head rows [from, to) for the given rows of xb; returns rows.length x (to - from). */
    private float[] head(int[] rows, int from, int to) {
        int width = to - from;
        if (headIn.length < rows.length * dim) headIn = new float[rows.length * dim];
        if (headOut.length < rows.length * width) headOut = new float[rows.length * width];
        for (int j = 0; j < rows.length; j++) System.arraycopy(xb, rows[j] * dim, headIn, j * dim, dim);
        matmul(headIn, rows.length, new Job(model.head, headOut, width, from, to));
        return headOut;
    }

    /** Computes the head over [from, to) for the given rows and stores each into its sequence's logits. */
    private void storeLogits(int[] rows, int from, int to) {
        float[] out = head(rows, from, to);
        int width = to - from;
        for (int j = 0; j < rows.length; j++) {
            Seq s = rowSeq[rows[j]];
            if (s.filledFrom != from || s.filledTo != to) {
                Arrays.fill(s.logits, Float.NEGATIVE_INFINITY);
                s.filledFrom = from;
                s.filledTo = to;
            }
            System.arraycopy(out, j * width, s.logits, from, width);
        }
    }

    // ---- bookkeeping -----------------------------------------------------------------------------

    private void append(Seq s, int[] ids, int start, int n) {
        if (s.length + n > s.tokens.length) s.tokens = Arrays.copyOf(s.tokens, Math.max(s.length + n, 2 * s.tokens.length));
        System.arraycopy(ids, start, s.tokens, s.length, n);
        s.length += n;
    }

    private int freeSlot() {
        ensureOpen();
        for (int i = 0; i < slots.length; i++) if (slots[i] == null) return i;
        throw new IllegalStateException("batch is full: it holds at most " + maxSequences + " sequences");
    }

    private Seq live(int seq) {
        ensureOpen();
        if (seq < 0 || seq >= slots.length || slots[seq] == null) throw new IllegalArgumentException("no live sequence " + seq);
        return slots[seq];
    }

    private void checkCapacity(Seq s, int more) {
        if (s.length + more > maxTokens) {
            throw new IllegalStateException("sequence would reach " + (s.length + more) + " tokens; this batch holds at most " + maxTokens);
        }
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocab) throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + vocab + ")");
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("batch is closed");
    }
}
