package org.llasalab.codec.xcodec2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** FSQ digits: least significant first, index i of L levels -> (i - L/2) / (L/2). */
class FsqTest {
    @Test
    void mixedRadixDigitsLeastSignificantFirst() {
        Fsq fsq = new Fsq(new int[] {4, 4, 4, 4, 4, 4, 4, 4});
        float[] v = fsq.levelValues(new int[] {0, 1, 4 * 3 + 2, 65535});
        assertArrayEquals(new float[] {-1, -1, -1, -1, -1, -1, -1, -1}, slice(v, 0), 0f);
        assertArrayEquals(new float[] {-0.5f, -1, -1, -1, -1, -1, -1, -1}, slice(v, 1), 0f);
        assertArrayEquals(new float[] {0f, 0.5f, -1, -1, -1, -1, -1, -1}, slice(v, 2), 0f);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, slice(v, 3), 0f);
        assertThrows(IllegalArgumentException.class, () -> fsq.levelValues(new int[] {-1}));
    }

    @Test
    void oddAndMixedLevels() {
        Fsq fsq = new Fsq(new int[] {5, 3});
        // code 7 = 2 + 5 * 1: digit0 = 2 of 5 levels -> 0; digit1 = 1 of 3 levels -> 0
        assertArrayEquals(new float[] {0f, 0f}, fsq.levelValues(new int[] {7}), 0f);
        // code 14 = 4 + 5 * 2 -> (4-2)/2 = 1, (2-1)/1 = 1
        assertArrayEquals(new float[] {1f, 1f}, fsq.levelValues(new int[] {14}), 0f);
    }

    private static float[] slice(float[] v, int row) {
        return java.util.Arrays.copyOfRange(v, row * 8, row * 8 + 8);
    }
}
