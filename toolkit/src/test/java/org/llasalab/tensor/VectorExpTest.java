package org.llasalab.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

class VectorExpTest {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private static double[] exps(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i += D.length()) VectorExp.exp(DoubleVector.fromArray(D, x, i)).intoArray(y, i);
        return y;
    }

    private static float[] exps(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += F.length()) VectorExp.exp(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        return y;
    }

    @Test
    void doubleWithinTwoUlpsOfMathExp() {
        SplittableRandom r = new SplittableRandom(11);
        double[] x = new double[D.length() * 20_000];
        for (int i = 0; i < x.length; i++) x[i] = i % 3 == 0 ? r.nextDouble(-708, 709.78) : r.nextDouble(-30, 5);
        x[0] = 0;
        x[1] = Math.log(2);
        x[2] = -Math.log(2) / 2;
        x[3] = 1e-300;
        double[] y = exps(x);
        for (int i = 0; i < x.length; i++) {
            double e = Math.exp(x[i]);
            assertEquals(e, y[i], 2 * Math.ulp(e), "exp(" + x[i] + ")");
        }
    }

    @Test
    void floatWithinTwoUlpsOfMathExp() {
        SplittableRandom r = new SplittableRandom(12);
        float[] x = new float[F.length() * 20_000];
        for (int i = 0; i < x.length; i++) x[i] = (float) (i % 3 == 0 ? r.nextDouble(-86.9, 88.72) : r.nextDouble(-20, 20));
        x[0] = 0;
        x[1] = 88.72f;
        double worst = 0;
        float[] y = exps(x);
        for (int i = 0; i < x.length; i++) {
            float e = (float) Math.exp(x[i]);
            assertEquals(e, y[i], 2 * Math.ulp(e), "exp(" + x[i] + ")");
            worst = Math.max(worst, Math.abs(e - y[i]) / Math.ulp(e));
        }
        assertTrue(worst > 0, "a different formula, not Math.exp");
    }

    @Test
    void limits() {
        double[] x = new double[D.length()];
        double[] special = {Double.NEGATIVE_INFINITY, -800, 710, Double.POSITIVE_INFINITY, Double.NaN, -708.5, 709.7, -1};
        for (int i = 0; i < x.length; i++) x[i] = special[i % special.length];
        double[] y = exps(x);
        for (int i = 0; i < x.length; i++) {
            double v = x[i], got = y[i];
            if (Double.isNaN(v)) assertTrue(Double.isNaN(got));
            else if (v < -708) assertEquals(0.0, got);
            else if (v > 709.79) assertEquals(Double.POSITIVE_INFINITY, got);
            else assertEquals(Math.exp(v), got, 2 * Math.ulp(Math.exp(v)), "exp(" + v + ")");
        }
        float[] xf = new float[F.length()];
        float[] specialF = {Float.NEGATIVE_INFINITY, -100, 89, Float.POSITIVE_INFINITY, Float.NaN, -87.5f, 88.7f, 3};
        for (int i = 0; i < xf.length; i++) xf[i] = specialF[i % specialF.length];
        float[] yf = exps(xf);
        for (int i = 0; i < xf.length; i++) {
            float v = xf[i], got = yf[i];
            if (Float.isNaN(v)) assertTrue(Float.isNaN(got));
            else if (v < -86.9f) assertEquals(0f, got);
            else if (v > 88.73f) assertEquals(Float.POSITIVE_INFINITY, got);
            else assertEquals((float) Math.exp(v), got, 2 * Math.ulp((float) Math.exp(v)), "exp(" + v + ")");
        }
    }

    /** The point of the class: the first (interpreted) calls and the JIT-compiled ones give the same bits. */
    @Test
    void sameBitsBeforeAndAfterCompilation() {
        SplittableRandom r = new SplittableRandom(13);
        float[] x = new float[64 * F.length()];
        double[] xd = new double[64 * D.length()];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-50, 50);
        for (int i = 0; i < xd.length; i++) xd[i] = r.nextDouble(-50, 50);
        float[] cold = exps(x);
        double[] coldD = exps(xd);
        float[] g = x.clone(), u = x.clone();
        Kernels.swiglu(g, u, g.length);
        float[] s = x.clone();
        Kernels.softmax(s, 0, s.length - 1);
        for (int rep = 0; rep < 20_000; rep++) { // long enough for C2
            exps(x);
            exps(xd);
            float[] g2 = x.clone();
            Kernels.swiglu(g2, x, g2.length);
            Kernels.softmax(g2, 0, g2.length - 1);
        }
        assertArrayEquals(cold, exps(x));
        assertArrayEquals(coldD, exps(xd));
        float[] g2 = x.clone(), u2 = x.clone();
        Kernels.swiglu(g2, u2, g2.length);
        assertArrayEquals(g, g2);
        float[] s2 = x.clone();
        Kernels.softmax(s2, 0, s2.length - 1);
        assertArrayEquals(s, s2);
    }

    @Test
    void swigluAndSoftmaxMatchTheirDefinitions() {
        SplittableRandom r = new SplittableRandom(14);
        int n = 3 * F.length() + 5; // a tail
        float[] g = new float[n], u = new float[n], a = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) r.nextDouble(-12, 12);
            u[i] = (float) r.nextDouble(-2, 2);
            a[i] = (float) r.nextDouble(-20, 5);
        }
        float[] out = g.clone();
        Kernels.swiglu(out, u, n);
        for (int i = 0; i < n; i++) assertEquals(g[i] / (1 + Math.exp(-g[i])) * u[i], out[i], 1e-5 * (1 + Math.abs(out[i])));
        for (int m : new int[] {1, 3, F.length(), F.length() + 1, n}) { // within one vector, whole vectors, tails
            float[] p = new float[m + 2];
            System.arraycopy(a, 0, p, 1, m);
            p[0] = 1e9f; // outside the row: untouched, and not its maximum
            p[m + 1] = 1e9f;
            Kernels.softmax(p, 1, m);
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int i = 0; i < m; i++) max = Math.max(max, a[i]);
            for (int i = 0; i < m; i++) z += Math.exp(a[i] - max);
            double sum = 0;
            for (int i = 0; i < m; i++) {
                assertEquals(Math.exp(a[i] - max) / z, p[i + 1], 1e-6);
                sum += p[i + 1];
            }
            assertEquals(1, sum, 1e-5);
            assertEquals(1e9f, p[0]);
            assertEquals(1e9f, p[m + 1]);
        }
        // an element's result does not depend on where it sits (vector body or tail)
        float[] shifted = new float[n + 1];
        float[] su = new float[n + 1];
        System.arraycopy(g, 0, shifted, 1, n);
        System.arraycopy(u, 0, su, 1, n);
        Kernels.swiglu(shifted, su, n + 1);
        for (int i = 0; i < n; i++) assertEquals(out[i], shifted[i + 1]);
    }
}
