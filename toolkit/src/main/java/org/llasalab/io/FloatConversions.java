package org.llasalab.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** Scalar conversions between f32 and the 16-bit float formats, and bulk reads of mapped tensors. */
public final class FloatConversions {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private FloatConversions() {}

    /** bf16 bits (the upper half of an f32) to f32. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** f32 to bf16 bits, rounding to nearest, ties to even; NaN stays NaN. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x0040);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** f32 to IEEE half bits, round to nearest even. */
    public static short floatToF16(float f) {
        return Float.floatToFloat16(f);
    }

    static float[] toFloats(MemorySegment seg, DType dtype, int n, Path file, String name) throws SafetensorsException {
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> MemorySegment.copy(seg, F32, 0, out, 0, n);
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = bf16ToFloat(seg.getAtIndex(I16, i));
            }
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = f16ToFloat(seg.getAtIndex(I16, i));
            }
            case F64 -> {
                for (int i = 0; i < n; i++) out[i] = (float) seg.getAtIndex(F64, i);
            }
            default -> throw SafetensorsException.of(file, name, "dtype " + dtype + " is not floating point");
        }
        return out;
    }
}
