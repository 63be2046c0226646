package org.llasalab.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Q8TensorTest {
    /** Odd shapes exercise partial scale blocks (cols % 32), partial panels and batch tails. */
    @Test
    void q8SumsEachBlockThenScalesItTheSameWayAtEveryBatchSize() {
        Random r = new Random(11);
        try (Parallel pool = new Parallel(2); Arena arena = Arena.ofShared()) {
            for (int[] shape : new int[][] {{7, 37}, {16, 64}, {9, 100}, {33, 16}, {5, 3}, {8, 200}, {70, 96}}) {
                int rows = shape[0], cols = shape[1];
                float[] w = new float[rows * cols];
                for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * (i % 7 == 0 ? 3 : 1);
                Q8Tensor q = Q8Tensor.quantize(F32Tensor.of(arena, w, rows, cols), arena, pool);
                float[] deq = new float[rows * cols];
                for (int row = 0; row < rows; row++) q.copyRow(row, deq, row * cols);
                for (int row = 0; row < rows; row++) {
                    for (int b0 = 0; b0 < cols; b0 += Q8Tensor.BLOCK) {
                        float amax = 0;
                        for (int c = b0; c < Math.min(cols, b0 + Q8Tensor.BLOCK); c++) amax = Math.max(amax, Math.abs(w[row * cols + c]));
                        for (int c = b0; c < Math.min(cols, b0 + Q8Tensor.BLOCK); c++) {
                            // round to nearest: at most half a step of amax / 127 away (plus f32 rounding)
                            assertEquals(w[row * cols + c], deq[row * cols + c], amax / 127 * 0.5001 + 1e-6,
                                    rows + "x" + cols + " (" + row + ", " + c + ")");
                        }
                    }
                }
                for (int n : new int[] {1, 2, 3, 4, 5, 6, 8, 9, 11, 16, 17}) {
                    float[] x = new float[n * cols];
                    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                    float[] actual = new float[n * rows];
                    MatMul.run(pool, q, x, n, actual);
                    for (int b = 0; b < n; b++) {
                        // the documented order: s = fma(q, x, s) over a block from 0, then y = fma(s, d, y)
                        for (int row = 0; row < rows; row++) {
                            float y = 0;
                            for (int k = 0; k * Q8Tensor.BLOCK < cols; k++) {
                                float s = 0;
                                for (int c = k * Q8Tensor.BLOCK; c < Math.min(cols, (k + 1) * Q8Tensor.BLOCK); c++) {
                                    s = Math.fma((float) q.quant(row, c), x[b * cols + c], s);
                                }
                                y = Math.fma(s, q.scale(row, k), y);
                            }
                            assertEquals(Float.floatToIntBits(y), Float.floatToIntBits(actual[b * rows + row]),
                                    rows + "x" + cols + " n=" + n + " (" + b + ", " + row + "): " + y + " vs " + actual[b * rows + row]);
                        }
                    }
                    for (int b = 0; b < n; b++) {
                        for (int row = 0; row < rows; row++) {
                            double sum = 0;
                            for (int c = 0; c < cols; c++) sum += (double) deq[row * cols + c] * x[b * cols + c];
                            assertEquals(sum, actual[b * rows + row], 1e-4 * Math.sqrt(cols), rows + "x" + cols + " n=" + n);
                        }
                    }
                }
            }
        }
    }

    @Test
    void anAllZeroBlockStaysZero() {
        try (Parallel pool = new Parallel(1); Arena arena = Arena.ofShared()) {
            float[] w = new float[64];
            w[40] = -2.5f;
            Q8Tensor q = Q8Tensor.quantize(F32Tensor.of(arena, w, 1, 64), arena, pool);
            float[] row = new float[64];
            q.copyRow(0, row, 0);
            for (int c = 0; c < 64; c++) assertEquals(c == 40 ? -2.5f : 0f, row[c], 1e-6f);
            assertEquals(64 + 2 * 4, q.byteSize());
        }
    }

    @Test
    void unknownQuantizationIsNamed() {
        assertEquals(Quantization.Q8, Quantization.parse("Q8"));
        var e = assertThrows(IllegalArgumentException.class, () -> Quantization.parse("q4"));
        assertTrue(e.getMessage().contains("q4"), e.getMessage());
    }
}
