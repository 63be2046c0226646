package org.llasalab.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.llasalab.io.FloatConversions;

class MatMulTest {
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Odd sizes exercise the row tails (rows % 4), column tails (cols % 16) and batch tails (n % 4). */
    @Test
    void bf16AndF32KernelsMatchANaiveProductForAllShapes() {
        Random r = new Random(3);
        try (Parallel pool = new Parallel(2); Arena arena = Arena.ofShared()) {
            for (int[] shape : new int[][] {{7, 37}, {16, 64}, {9, 100}, {33, 16}, {5, 3}, {70, 35}, {130, 48}}) {
                int rows = shape[0], cols = shape[1];
                float[] w = new float[rows * cols];
                MemorySegment bf = arena.allocate(2L * w.length);
                for (int i = 0; i < w.length; i++) {
                    short h = FloatConversions.floatToBf16((float) r.nextGaussian());
                    bf.setAtIndex(LE_SHORT, i, h);
                    w[i] = FloatConversions.bf16ToFloat(h);
                }
                WeightMatrix[] mats = {new BF16Tensor(bf, rows, cols), F32Tensor.of(arena, w, rows, cols),
                        PackedBF16Tensor.pack(bf, rows, cols, arena, pool), PackedF32Tensor.pack(F32Tensor.of(arena, w, rows, cols), arena, pool)};
                for (int n : new int[] {1, 2, 3, 4, 5, 6, 9, 13, 16, 17}) {
                    float[] x = new float[n * cols];
                    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                    for (WeightMatrix m : mats) {
                        float[] out = new float[n * rows];
                        MatMul.run(pool, m, x, n, out);
                        for (int b = 0; b < n; b++) {
                            for (int row = 0; row < rows; row++) {
                                double ref = 0;
                                for (int c = 0; c < cols; c++) ref += (double) w[row * cols + c] * x[b * cols + c];
                                assertEquals(ref, out[b * rows + row], 1e-4 * Math.sqrt(cols),
                                        m.getClass().getSimpleName() + " " + rows + "x" + cols + " n=" + n + " b=" + b + " row=" + row);
                            }
                        }
                        float[] row0 = new float[cols];
                        m.copyRow(rows - 1, row0, 0);
                        for (int c = 0; c < cols; c++) assertEquals(w[(rows - 1) * cols + c], row0[c]);
                    }
                }
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheBatchCompositionOrTheRowRange() {
        Random r = new Random(5);
        int rows = 150, cols = 81;
        try (Parallel pool = new Parallel(2); Arena arena = Arena.ofShared()) {
            MemorySegment bf = arena.allocate(2L * rows * cols);
            for (int i = 0; i < rows * cols; i++) bf.setAtIndex(LE_SHORT, i, FloatConversions.floatToBf16((float) r.nextGaussian()));
            for (WeightMatrix m : new WeightMatrix[] {new BF16Tensor(bf, rows, cols), PackedBF16Tensor.pack(bf, rows, cols, arena, pool),
                    PackedF32Tensor.pack(new BF16Tensor(bf, rows, cols), arena, pool)}) {
              for (int n : new int[] {13, 6, 3, 2}) { // 2-panel tiles; 4-panel tiles of 4 rows (padded tail) and of 2
                String name = m.getClass().getSimpleName() + " n=" + n;
                float[] x = new float[n * cols];
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                float[] all = new float[n * rows];
                MatMul.run(pool, m, x, n, all);
                for (int b : new int[] {0, n / 2, n - 1}) {
                    float[] single = new float[rows];
                    MatMul.run(pool, m, java.util.Arrays.copyOfRange(x, b * cols, (b + 1) * cols), 1, single);
                    assertArrayEquals(java.util.Arrays.copyOfRange(all, b * rows, (b + 1) * rows), single, name + " b=" + b);
                }
                // windows of rows written at offset 0, cut inside and across the formats' row blocks
                for (int[] win : new int[][] {{3, 10}, {17, 149}, {64, 128}, {5, 6}}) {
                    int width = win[1] - win[0];
                    float[] window = new float[n * width];
                    MatMul.run(pool, x, n, new MatMul.Job(m, window, width, win[0], win[1]));
                    float[] one = new float[width];
                    MatMul.run(pool, java.util.Arrays.copyOfRange(x, (n - 1) * cols, n * cols), 1, new MatMul.Job(m, one, width, win[0], win[1]));
                    for (int b = 0; b < n; b++) {
                        for (int row = win[0]; row < win[1]; row++) {
                            assertEquals(all[b * rows + row], window[b * width + row - win[0]], name + " window " + win[0] + ".." + win[1]);
                        }
                    }
                    for (int row = win[0]; row < win[1]; row++) assertEquals(all[(n - 1) * rows + row], one[row - win[0]], name);
                }
              }
            }
        }
    }

    @Test
    void lanesSumIsTheSameInEveryTier() {
        float[] a = new float[64];
        Random r = new Random(1);
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian() * (i % 3 == 0 ? 1e4f : 1e-3f);
        float first = Kernels.dot(a, 0, a, 0, a.length);
        for (int i = 0; i < 20000; i++) assertEquals(first, Kernels.dot(a, 0, a, 0, a.length));
    }

    @Test
    void attentionKernelsMatchANaiveSum() {
        Random r = new Random(9);
        int page = 64, kvDim = 40, headDim = 13, kvOff = 20;
        float[] kT = new float[kvDim * page], v = new float[page * kvDim], q = new float[headDim + 3];
        for (int i = 0; i < kT.length; i++) kT[i] = (float) r.nextGaussian();
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
        for (int count : new int[] {1, 17, 64}) {
            float[] scores = new float[page + 5];
            Kernels.scoresTransposed(q, 3, headDim, 1, kT, kvOff, page, headDim, count, 2.5f, scores, 5, 0);
            for (int t = 0; t < count; t++) {
                double ref = 0;
                for (int d = 0; d < headDim; d++) ref += (double) q[3 + d] * kT[(kvOff + d) * page + t];
                assertEquals(ref / 2.5, scores[5 + t], 1e-5, "score " + t + " of " + count);
            }
            float[] y = new float[headDim + 2];
            y[1] = 0.5f;
            Kernels.weightedRows(scores, 5, 0, 1, count, v, kvOff, kvDim, y, 1, headDim, headDim);
            for (int i = 0; i < headDim; i++) {
                double ref = i == 0 ? 0.5 : 0;
                for (int t = 0; t < count; t++) ref += (double) scores[5 + t] * v[t * kvDim + kvOff + i];
                assertEquals(ref, y[1 + i], 1e-4, "output " + i + " of " + count);
            }
            assertEquals(0f, y[0]);
            assertEquals(0f, y[headDim + 1]);
        }
    }

    /**
     * Query heads that share a key/value head are computed together (up to 4 per pass, a short group
     * repeating its last query): each must get exactly the bits it gets alone, for group sizes that fill,
     * underfill and overrun a pass, and head widths with whole vector pairs, a single vector and a scalar tail.
     */
    @Test
    void groupedQueriesGetTheBitsOfEachQueryAlone() {
        Random r = new Random(21);
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        int page = 64;
        for (int headDim : new int[] {2 * lanes, 3 * lanes + 5, 7}) {
            int kvDim = 2 * headDim, kvOff = headDim, stride = page + 7;
            float[] kT = new float[kvDim * page], v = new float[page * kvDim];
            for (int i = 0; i < kT.length; i++) kT[i] = (float) r.nextGaussian();
            for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
            for (int queries : new int[] {1, 2, 3, 4, 5, 8}) {
                float[] q = new float[2 + queries * headDim];
                for (int i = 0; i < q.length; i++) q[i] = (float) r.nextGaussian();
                for (int count : new int[] {1, 33, 64}) {
                    float[] grouped = new float[queries * stride + page];
                    Arrays.fill(grouped, Float.NaN);
                    Kernels.scoresTransposed(q, 2, headDim, queries, kT, kvOff, page, headDim, count, 8f, grouped, 0, stride);
                    float[] y = new float[queries * headDim + 1];
                    for (int i = 0; i < y.length; i++) y[i] = i % 5 == 0 ? 0.25f * i : 0f;
                    float[] yAlone = y.clone();
                    Kernels.weightedRows(grouped, 0, stride, queries, count, v, kvOff, kvDim, y, 1, headDim, headDim);
                    for (int g = 0; g < queries; g++) {
                        float[] alone = new float[page];
                        Kernels.scoresTransposed(q, 2 + g * headDim, 0, 1, kT, kvOff, page, headDim, count, 8f, alone, 0, 0);
                        for (int t = 0; t < count; t++) {
                            assertEquals(alone[t], grouped[g * stride + t], 0f, "score " + t + ", query " + g + " of " + queries);
                        }
                        Kernels.weightedRows(alone, 0, 0, 1, count, v, kvOff, kvDim, yAlone, 1 + g * headDim, 0, headDim);
                    }
                    assertArrayEquals(yAlone, y, "weighted rows, " + queries + " queries, " + count + " positions, head " + headDim);
                }
            }
        }
    }

    @Test
    void hugePageMemoryIsZeroedWritableAndSizedAsAsked() {
        long bytes = (5L << 20) + 12_345;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = HugePages.allocate(arena, bytes);
            assertEquals(bytes, s.byteSize());
            for (long o = 0; o < bytes; o += 4093) assertEquals(0, s.get(ValueLayout.JAVA_BYTE, o));
            s.set(ValueLayout.JAVA_BYTE, bytes - 1, (byte) 7);
            assertEquals(7, s.get(ValueLayout.JAVA_BYTE, bytes - 1));
            assertThrows(IndexOutOfBoundsException.class, () -> s.get(ValueLayout.JAVA_BYTE, bytes));
        }
    }
}
