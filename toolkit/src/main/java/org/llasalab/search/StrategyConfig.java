package org.llasalab.search;

import org.llasalab.lm.SamplingParams;

/**
 * The typed parameters of a search strategy: one record per strategy, declared in the strategy's own
 * file beside its search ({@link SampleStrategy.Sample}, {@link BestOfNStrategy.BestOfN},
 * {@link BeamStrategy.Beam}, ...), built and validated from an experiment's YAML map by
 * {@link StrategyType}.
 */
public interface StrategyConfig {

    /** What every strategy has: how tokens are drawn, how long a candidate may get, text chunking. */
    Decoding decoding();

    /** The most sequences this search decodes side by side for one utterance (what a dry run counts). */
    long parallelSequences();

    /** The most times each of those sequences is scored by the guiding verifier (1: once, at its end). */
    default long guideScorings() {
        return 1;
    }

    /** Steps of {@code chunkTokens} tokens in a sequence of at most {@code maxTokens}. */
    static long steps(long maxTokens, int chunkTokens) {
        return (maxTokens + chunkTokens - 1) / chunkTokens;
    }

    /**
     * The common keys ({@link StrategyParams#COMMON_KEYS}), the first component of every parameter record.
     *
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
}
