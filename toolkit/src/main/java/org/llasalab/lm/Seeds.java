package org.llasalab.lm;

/**
 * Seeds derived deterministically from a request's seed and a position (candidate index, step,
 * slot), so that every sequence draws from its own stream whatever else shares its batch. The one
 * seed derivation of the code base: the searches' sequences, the engine's {@link Generator} and the
 * sweep's per-utterance seeds all come from {@link #derive}.
 */
public final class Seeds {
    private Seeds() {}

    /** A well-mixed seed for {@code base} and the path {@code parts} (SplitMix64 finaliser per part). */
    public static long derive(long base, long... parts) {
        long h = mix(base ^ 0x9E3779B97F4A7C15L);
        for (long part : parts) {
            h = mix(h + 0x9E3779B97F4A7C15L + mix(part));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
