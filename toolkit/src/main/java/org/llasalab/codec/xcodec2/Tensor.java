package org.llasalab.codec.xcodec2;

import java.util.Arrays;

/** A named float32 tensor, row-major. */
public record Tensor(String name, int[] shape, float[] data) {
    public Tensor {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " values, data has " + data.length);
        }
    }

    public int dim(int i) {
        return shape[i];
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
