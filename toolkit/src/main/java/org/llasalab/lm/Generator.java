package org.llasalab.lm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Plain sampling of N continuations of one prompt: the prompt is prefilled once and forked N-1
 * times, then all live candidates advance together, one batched step per token.
 */
public final class Generator {
    /** One continuation: the generated ids (stop id included when it stopped) and its summed log-probability. */
    public record Generation(int[] ids, double sumLogProb, boolean stopped) {
        public double meanLogProb() {
            return ids.length == 0 ? 0 : sumLogProb / ids.length;
        }
    }

    private Generator() {}

    /**
     * Generates {@code n} continuations of {@code prompt}; candidate i draws from the stream
     * {@link #stream(long, int)}. A candidate ends when it emits an id accepted by {@code stop}
     * or after {@code maxNewTokens} ids.
     *
     * @param mask allowed ids for every generated token, or null
     */
    public static List<Generation> generate(LanguageModel model, int[] prompt, int n, SamplingParams params,
                                            LogitMask mask, int maxNewTokens, IntPredicate stop, long seed) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1");
        if (maxNewTokens < 0) throw new IllegalArgumentException("max new tokens must be >= 0");
        Sampler sampler = new Sampler(params);
        int[][] out = new int[n][maxNewTokens];
        int[] count = new int[n];
        double[] logProb = new double[n];
        boolean[] stopped = new boolean[n];
        try (SequenceBatch batch = model.newBatch(n, prompt.length + maxNewTokens)) {
            int[] seq = new int[n];
            seq[0] = batch.prefill(prompt);
            for (int i = 1; i < n; i++) seq[i] = batch.fork(seq[0]);
            SplittableRandom[] rng = new SplittableRandom[n];
            for (int i = 0; i < n; i++) {
                rng[i] = stream(seed, i);
                if (mask != null) batch.setLogitWindow(seq[i], mask.windowFrom(), mask.windowTo());
            }
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < n; i++) live.add(i);
            for (int t = 0; t < maxNewTokens && !live.isEmpty(); t++) {
                List<Integer> next = new ArrayList<>();
                for (int i : live) {
                    Sampler.Choice c = sampler.sample(batch.logits(seq[i]), mask, batch.tokens(seq[i]), rng[i]);
                    out[i][count[i]++] = c.token();
                    logProb[i] += c.logProb();
                    if (stop != null && stop.test(c.token())) {
                        stopped[i] = true;
                        batch.free(seq[i]);
                    } else {
                        next.add(i);
                    }
                }
                live = next;
                if (t + 1 < maxNewTokens && !live.isEmpty()) {
                    int[] seqs = new int[live.size()];
                    int[] toks = new int[live.size()];
                    for (int j = 0; j < seqs.length; j++) {
                        int i = live.get(j);
                        seqs[j] = seq[i];
                        toks[j] = out[i][count[i] - 1];
                    }
                    batch.step(seqs, toks);
                }
            }
        }
        List<Generation> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) result.add(new Generation(Arrays.copyOf(out[i], count[i]), logProb[i], stopped[i]));
        return result;
    }

    /**
     * The random stream of candidate {@code index} under {@code seed}: {@link Seeds#derive} of the seed, phase 0
     * and the index, the stream the search's {@code sample} strategy gives candidate {@code index} of a request
     * with that seed (its {@code ROOT} phase), so that candidate 0 here is what {@code llasa synth} draws.
     */
    public static SplittableRandom stream(long seed, int index) {
        return new SplittableRandom(Seeds.derive(seed, 0, index));
    }
}
