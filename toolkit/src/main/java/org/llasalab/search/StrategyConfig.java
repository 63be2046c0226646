package org.llasalab.search;

import java.util.List;
import org.llasalab.lm.SamplingParams;

/**
 * The typed parameters of a search strategy, one record per type, built and validated from an
 * experiment's YAML map by {@link SearchStrategies#create}.
 */
public sealed interface StrategyConfig {

    /** What every strategy has: how tokens are drawn, how long a candidate may get, text chunking. */
    Decoding decoding();

    /**
     * @param sampling  how tokens are drawn (the experiment's {@code sampling} block, overridden by the
     *                  strategy's own {@code sampling:} keys)
     * @param maxTokens the most speech tokens one candidate may generate (YAML {@code max_tokens})
     * @param chunkText split texts over 100 characters into chunks searched one after another
     *                  (YAML {@code chunk_text}; the paper's rule, see {@link TextChunker})
     */
    record Decoding(SamplingParams sampling, int maxTokens, boolean chunkText) {
        public Decoding {
            if (maxTokens < 1) throw new IllegalArgumentException("max_tokens must be >= 1: " + maxTokens);
        }
    }

    /** {@code sample}: one sampled candidate, the baseline. */
    record Sample(Decoding decoding) implements StrategyConfig {}

    /** {@code greedy}: one greedy candidate (the sampling block is ignored). */
    record Greedy(Decoding decoding) implements StrategyConfig {}

    /**
     * {@code best_of_n}: {@code n} candidates from one shared prefill, the best by the verifier kept.
     * {@code budgets}: the smaller N to report too (each at most n); {@code reusePrefixes}: read them off
     * the first k candidates of the one run (true) or run each budget separately with its own seeds (false).
     */
    record BestOfN(Decoding decoding, int n, List<Integer> budgets, boolean reusePrefixes) implements StrategyConfig {
        public BestOfN {
            budgets = List.copyOf(budgets);
        }
    }

    /**
     * {@code beam}: step-level (PRM) beam search; a step is {@code chunkTokens} speech tokens; each of
     * {@code beamWidth} live beams gets {@code expand} continuations per step.
     */
    record Beam(Decoding decoding, int beamWidth, int expand, int chunkTokens) implements StrategyConfig {}

    /**
     * {@code dvts}: {@code n / beamWidth} independent subtrees, each expanded into {@code beamWidth}
     * continuations per step of {@code chunkTokens} tokens, keeping its best one.
     */
    record Dvts(Decoding decoding, int n, int beamWidth, int chunkTokens) implements StrategyConfig {
        public int subtrees() {
            return n / beamWidth;
        }
    }

    /**
     * {@code partial_prm_orm}: beam search guided by the step verifier for the first {@code prmTokens}
     * tokens (or {@code prmFraction} of the request's expected length, when given and known), then
     * every surviving beam completed with {@code ormN} samples, the final pick made by the pick verifier.
     * {@code prmFraction} is 0 when not set.
     */
    record PartialPrmOrm(Decoding decoding, int beamWidth, int expand, int chunkTokens, int prmTokens,
                         double prmFraction, int ormN) implements StrategyConfig {
        /** Tokens of the PRM phase for a request expecting {@code expectedTokens} (0: unknown). */
        public int prmTokensFor(int expectedTokens) {
            if (prmFraction > 0 && expectedTokens > 0) {
                return Math.max(1, (int) Math.round(prmFraction * expectedTokens));
            }
            return prmTokens;
        }
    }
}
