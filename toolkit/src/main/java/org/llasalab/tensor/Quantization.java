package org.llasalab.tensor;

import java.lang.foreign.Arena;
import java.util.Locale;

/** How a model's weight matrices are held in memory once loaded: as stored, or converted at load time. */
public enum Quantization {
    /** The stored format (bf16 or f32): repacked into panels when resident, else read in place from the mapped file. */
    NONE,
    /** Per-block scaled int8 ({@link Q8Tensor}), converted from the stored weights when loading. */
    Q8;

    /** {@code none} or {@code q8} (as on the command line and in experiment files). */
    public static Quantization parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "q8" -> Q8;
            default -> throw new IllegalArgumentException("unknown quantization '" + name + "' (none or q8)");
        };
    }

    /** {@code w} in this format; converted copies live in {@code arena}. */
    public WeightMatrix apply(WeightMatrix w, Arena arena, Parallel pool) {
        return this == Q8 ? Q8Tensor.quantize(w, arena, pool) : w;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
