package org.llasalab.verifiers;

/** An utterance-level embedding of mono 16 kHz audio (a speaker or emotion encoder). Thread-safe. */
public interface AudioEmbedder extends AutoCloseable {
    float[] embed(float[] audio16k);

    @Override
    default void close() {}

    /** Cosine similarity in [-1, 1]; 0 when either vector is zero. */
    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embedding sizes differ: " + a.length + " vs " + b.length);
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) return 0;
        return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
    }
}
