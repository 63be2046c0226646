package org.llasalab.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/** A tensor to be written: dtype, shape and a source of its little-endian bytes. */
public interface TensorData {
    DType dtype();

    long[] shape();

    /** Writes exactly {@link #byteSize()} bytes to {@code out}. */
    void writeTo(WritableByteChannel out) throws IOException;

    default long byteSize() {
        long n = dtype().bytes();
        for (long d : shape()) n = Math.multiplyExact(n, d);
        return n;
    }

    /** Raw little-endian bytes of the given dtype and shape. */
    static TensorData ofBytes(DType dtype, long[] shape, byte[] bytes) {
        return new Bytes(dtype, shape.clone(), bytes.clone());
    }

    /** f32 values stored as F32. */
    static TensorData f32(float[] values, long... shape) {
        return encode(DType.F32, values, shape);
    }

    /** f32 values stored as BF16 (round to nearest, ties to even). */
    static TensorData bf16(float[] values, long... shape) {
        return encode(DType.BF16, values, shape);
    }

    /** f32 values stored as F16 (round to nearest, ties to even). */
    static TensorData f16(float[] values, long... shape) {
        return encode(DType.F16, values, shape);
    }

    /** f32 values stored as {@code dtype} (F32, BF16 or F16). */
    static TensorData encode(DType dtype, float[] values, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        if (n != values.length) {
            throw new IllegalArgumentException("shape holds " + n + " elements but " + values.length + " values were given");
        }
        ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(values.length, dtype.bytes())).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> { for (float v : values) buf.putFloat(v); }
            case BF16 -> { for (float v : values) buf.putShort(FloatConversions.floatToBf16(v)); }
            case F16 -> { for (float v : values) buf.putShort(FloatConversions.floatToF16(v)); }
            default -> throw new IllegalArgumentException("cannot encode floats as " + dtype);
        }
        return new Bytes(dtype, shape.clone(), buf.array());
    }

    record Bytes(DType dtype, long[] shape, byte[] bytes) implements TensorData {
        public Bytes {
            long expected = dtype.bytes();
            for (long d : shape) expected *= d;
            if (expected != bytes.length) {
                throw new IllegalArgumentException("shape x " + dtype + " needs " + expected + " bytes, got " + bytes.length);
            }
        }

        @Override
        public void writeTo(WritableByteChannel out) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) out.write(b);
        }

        @Override
        public long byteSize() {
            return bytes.length;
        }
    }
}
