package org.llasalab.eval.score;

import org.llasalab.eval.stats.Bootstrap;

/**
 * One aggregate figure of a metric column: {@code statistic} is {@code mean} (for WER the
 * seed-tts-eval figure, the mean of per-utterance rates), {@code variance}, {@code corpus} (total
 * edits / total reference words) or a derived variant such as {@code mean_english}; with its
 * bootstrap confidence interval over utterances.
 */
public record Aggregate(String column, String statistic, Bootstrap.Interval interval) {
    public double value() {
        return interval.mean();
    }
}
