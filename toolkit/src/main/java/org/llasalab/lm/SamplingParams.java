package org.llasalab.lm;

/**
 * How the next token is drawn from the logits. {@code temperature == 0} means greedy.
 * {@code topK <= 0}, {@code topP >= 1}, {@code minP <= 0} and {@code repetitionPenalty == 1} disable
 * those filters.
 */
public record SamplingParams(double temperature, int topK, double topP, double minP, double repetitionPenalty) {
    /** The Llasa model card's defaults: temperature 0.8, top-p 1.0. */
    public static final SamplingParams LLASA_DEFAULT = new SamplingParams(0.8, 0, 1.0, 0.0, 1.0);
    public static final SamplingParams GREEDY = new SamplingParams(0.0, 0, 1.0, 0.0, 1.0);

    public SamplingParams {
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0: " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top_p must be in (0, 1]: " + topP);
        if (!(minP >= 0 && minP < 1)) throw new IllegalArgumentException("min_p must be in [0, 1): " + minP);
        if (!(repetitionPenalty > 0)) throw new IllegalArgumentException("repetition_penalty must be > 0: " + repetitionPenalty);
    }

    public boolean greedy() {
        return temperature == 0;
    }
}
