package org.llasalab.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compute one utterance's search spent, in several units at once so that any of them can be a
 * chart's x-axis. Ledgers add up ({@link #plus}).
 *
 * @param prefillTokens   prompt tokens run through the LM (a fork costs none)
 * @param decodeTokens    generated tokens fed back through the LM
 * @param lmFlops         estimated LM FLOPs: {@code lm.flopsPerToken(context)} summed over every
 *                        prefill and decode token at its own context length
 * @param codecSeconds    seconds of audio the codec decoded (partial decodes of a beam count each time)
 * @param verifierCalls   candidates scored by a verifier (one per candidate, batched calls count each item)
 * @param verifierSeconds wall seconds spent inside verifiers
 * @param wallSeconds     wall seconds of the whole search (for a best-of-N budget prefix: its apportioned share)
 */
public record ComputeLedger(long prefillTokens, long decodeTokens, double lmFlops, double codecSeconds,
                            long verifierCalls, double verifierSeconds, double wallSeconds) {

    public static final ComputeLedger ZERO = new ComputeLedger(0, 0, 0, 0, 0, 0, 0);

    /** Stable names of the fields, in the order of {@link #asMap()}. */
    public static final List<String> NAMES = List.of(
            "prefill_tokens", "decode_tokens", "lm_flops", "codec_seconds",
            "verifier_calls", "verifier_seconds", "wall_seconds");

    public ComputeLedger plus(ComputeLedger o) {
        return new ComputeLedger(prefillTokens + o.prefillTokens, decodeTokens + o.decodeTokens,
                lmFlops + o.lmFlops, codecSeconds + o.codecSeconds, verifierCalls + o.verifierCalls,
                verifierSeconds + o.verifierSeconds, wallSeconds + o.wallSeconds);
    }

    public ComputeLedger withWallSeconds(double seconds) {
        return new ComputeLedger(prefillTokens, decodeTokens, lmFlops, codecSeconds, verifierCalls,
                verifierSeconds, seconds);
    }

    /** LM forward tokens, prefill and decode together. */
    public long lmTokens() {
        return prefillTokens + decodeTokens;
    }

    /** Every field by its stable name ({@link #NAMES}), in that order. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("prefill_tokens", (double) prefillTokens);
        m.put("decode_tokens", (double) decodeTokens);
        m.put("lm_flops", lmFlops);
        m.put("codec_seconds", codecSeconds);
        m.put("verifier_calls", (double) verifierCalls);
        m.put("verifier_seconds", verifierSeconds);
        m.put("wall_seconds", wallSeconds);
        return m;
    }

    /** One field by its stable name. */
    public double get(String name) {
        Double v = asMap().get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown compute unit '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return v;
    }
}
