package org.llasalab.eval.run;

import java.util.concurrent.atomic.AtomicLong;
import org.llasalab.lm.LanguageModel;
import org.llasalab.lm.SequenceBatch;

/**
 * A language model that adds up the prefill and decode tokens every batch it hands out ran through the
 * underlying model (the batches' own counters, taken when a batch closes): the LM work an executor
 * really did, whatever the ledgers attribute to each budget. Closing it does not close the model. With a
 * {@link RunClock}, batch allocation, prefill, fork and decode steps count as {@link RunClock.Component#LM}.
 */
final class CountingLanguageModel implements LanguageModel {
    /** Running totals, shared by every batch. */
    static final class Counts {
        private final AtomicLong prefill = new AtomicLong();
        private final AtomicLong decode = new AtomicLong();

        long prefillTokens() {
            return prefill.get();
        }

        long decodeTokens() {
            return decode.get();
        }
    }

    private final LanguageModel lm;
    private final Counts counts;
    private final RunClock clock;

    CountingLanguageModel(LanguageModel lm, Counts counts) {
        this(lm, counts, null);
    }

    /** {@code clock} may be null (nothing timed). */
    CountingLanguageModel(LanguageModel lm, Counts counts, RunClock clock) {
        this.lm = lm;
        this.counts = counts;
        this.clock = clock;
    }

    private void enter() {
        if (clock != null) clock.enter(RunClock.Component.LM);
    }

    private void exit() {
        if (clock != null) clock.exit();
    }

    @Override
    public int vocabSize() {
        return lm.vocabSize();
    }

    @Override
    public long parameterCount() {
        return lm.parameterCount();
    }

    @Override
    public double flopsPerToken(int context) {
        return lm.flopsPerToken(context);
    }

    @Override
    public SequenceBatch newBatch(int maxSequences, int maxTokens) {
        enter();
        try {
            return new CountedBatch(lm.newBatch(maxSequences, maxTokens));
        } finally {
            exit();
        }
    }

    private final class CountedBatch implements SequenceBatch {
        private final SequenceBatch batch;
        private boolean closed;

        CountedBatch(SequenceBatch batch) {
            this.batch = batch;
        }

        @Override
        public int prefill(int[] promptIds) {
            enter();
            try {
                return batch.prefill(promptIds);
            } finally {
                exit();
            }
        }

        @Override
        public int fork(int seq) {
            enter();
            try {
                return batch.fork(seq);
            } finally {
                exit();
            }
        }

        @Override
        public void free(int seq) {
            batch.free(seq);
        }

        @Override
        public int length(int seq) {
            return batch.length(seq);
        }

        @Override
        public int[] tokens(int seq) {
            return batch.tokens(seq);
        }

        @Override
        public void step(int[] seqs, int[] tokens) {
            enter();
            try {
                batch.step(seqs, tokens);
            } finally {
                exit();
            }
        }

        @Override
        public float[] logits(int seq) {
            return batch.logits(seq);
        }

        @Override
        public void setLogitWindow(int seq, int fromId, int toId) {
            batch.setLogitWindow(seq, fromId, toId);
        }

        @Override
        public long prefillTokens() {
            return batch.prefillTokens();
        }

        @Override
        public long decodeTokens() {
            return batch.decodeTokens();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                counts.prefill.addAndGet(batch.prefillTokens());
                counts.decode.addAndGet(batch.decodeTokens());
            }
            batch.close();
        }
    }
}
