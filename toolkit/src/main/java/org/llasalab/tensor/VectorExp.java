package org.llasalab.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x lane by lane, from adds, multiplies, FMAs and shifts only, so that it gives the same bits in the
 * interpreter as after JIT compilation. The Vector API's own {@code lanewise(EXP)} calls a vector math
 * library once compiled but {@code Math.exp} lane by lane before, and the two differ in the last bit:
 * a model's activations would then change while it warms up, and with them sampled tokens.
 * <p>
 * x = k ln 2 + r with k = round(x / ln 2) (ln 2 split in two parts so that r is exact to the last bits), a
 * Taylor polynomial for e^r on |r| <= ln(2)/2, times 2^k built in the exponent bits. Within 2 ulps of
 * {@link Math#exp} (tested). Below x = -708 (double) or -86.9 (float), near the smallest normal number, the
 * result is 0 (no subnormals); above the largest finite result, +Infinity; NaN stays NaN.
 * <p>
 * Vectors of the preferred species only (the constants are vectors of it). Each method is kept under the
 * JIT's inlining limit for hot calls (325 bytes of bytecode): not inlined, every call would box its vectors.
 */
public final class VectorExp {
    private VectorExp() {}

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final double LOG2E = 1.4426950408889634;
    /** 1.5 * 2^52: adding it rounds to an integer held in the low mantissa bits. */
    private static final double SHIFT_D = 6755399441055744.0;
    private static final float SHIFT_F = 12582912f; // 1.5 * 2^23
    private static final long BIAS_D = Double.doubleToRawLongBits(SHIFT_D) - 1022;
    private static final int BIAS_F = Float.floatToRawIntBits(SHIFT_F) - 126;
    // -ln 2 in two parts (the first with trailing zero bits, so that k times it is exact)
    private static final DoubleVector LN2_HI = DoubleVector.broadcast(D, -0.6931471803691238), LN2_LO = DoubleVector.broadcast(D, -1.9082149292705877e-10);
    private static final FloatVector LN2_HI_F = FloatVector.broadcast(F, -0.693145751953125f), LN2_LO_F = FloatVector.broadcast(F, -1.428606765330187e-06f);
    /** 1/n! for n = 13 down to 0. */
    private static final DoubleVector[] C = new DoubleVector[14];
    private static final FloatVector C7 = FloatVector.broadcast(F, 1f / 5040), C6 = FloatVector.broadcast(F, 1f / 720), C5 = FloatVector.broadcast(F, 1f / 120),
            C4 = FloatVector.broadcast(F, 1f / 24), C3 = FloatVector.broadcast(F, 1f / 6), C2 = FloatVector.broadcast(F, 0.5f), C1 = FloatVector.broadcast(F, 1f);
    private static final DoubleVector D13, D12, D11, D10, D9, D8, D7, D6, D5, D4, D3, D2, D1;

    static {
        double f = 1;
        for (int n = 1; n <= 13; n++) {
            f *= n;
            C[n] = DoubleVector.broadcast(D, 1 / f);
        }
        D13 = C[13]; D12 = C[12]; D11 = C[11]; D10 = C[10]; D9 = C[9]; D8 = C[8]; D7 = C[7];
        D6 = C[6]; D5 = C[5]; D4 = C[4]; D3 = C[3]; D2 = C[2]; D1 = C[1];
    }

    /** e^x in each lane of a double vector (Taylor degree 13: under 1e-17 relative on the reduced range). */
    public static DoubleVector exp(DoubleVector x) {
        DoubleVector t = x.fma(LOG2E, SHIFT_D);
        DoubleVector k = t.sub(SHIFT_D);
        DoubleVector r = k.fma(LN2_LO, k.fma(LN2_HI, x));
        DoubleVector p = r.fma(D13, D12).fma(r, D11).fma(r, D10).fma(r, D9).fma(r, D8).fma(r, D7).fma(r, D6)
                .fma(r, D5).fma(r, D4).fma(r, D3).fma(r, D2).fma(r, D1).fma(r, D1);
        // 2^(k-1) (k sits in t's low bits, as k + 1.5 * 2^52's; k - 1 + 1023 into the exponent field), then * 2
        DoubleVector y = p.mul(((LongVector) t.viewAsIntegralLanes()).sub(BIAS_D).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes()).mul(2.0);
        y = y.blend(0.0, x.compare(VectorOperators.LT, -708.0));
        return y.blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GT, 709.782712893384)).blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** e^x in each lane of a float vector (Taylor degree 7 on the reduced range). */
    public static FloatVector exp(FloatVector x) {
        FloatVector t = x.fma((float) LOG2E, SHIFT_F);
        FloatVector k = t.sub(SHIFT_F);
        FloatVector r = k.fma(LN2_LO_F, k.fma(LN2_HI_F, x));
        FloatVector p = r.fma(C7, C6).fma(r, C5).fma(r, C4).fma(r, C3).fma(r, C2).fma(r, C1).fma(r, C1);
        FloatVector y = p.mul(((IntVector) t.viewAsIntegralLanes()).sub(BIAS_F).lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes()).mul(2f);
        y = y.blend(0f, x.compare(VectorOperators.LT, -86.9f));
        return y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, 88.72284f)).blend(x, x.test(VectorOperators.IS_NAN));
    }
}
