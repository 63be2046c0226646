package org.llasalab.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Named tensors read from one safetensors file or from all shards of a checkpoint. Data is memory
 * mapped; {@link #segment} views stay valid until {@link #close}.
 */
public interface TensorStore extends AutoCloseable {
    /** Tensor names in header order (shards in index order). */
    Set<String> names();

    boolean contains(String name);

    /** Header entry of a tensor; throws {@link SafetensorsException} naming the tensor when absent. */
    TensorInfo info(String name) throws SafetensorsException;

    default DType dtype(String name) throws SafetensorsException {
        return info(name).dtype();
    }

    default long[] shape(String name) throws SafetensorsException {
        return info(name).shape();
    }

    /** Read-only view of the tensor's bytes (little-endian, row-major), mapped from the file. */
    MemorySegment segment(String name) throws SafetensorsException;

    /** The file holding the tensor (for messages). */
    Path file(String name) throws SafetensorsException;

    /** The {@code __metadata__} entries (of the first shard when sharded). */
    Map<String, String> metadata();

    /**
     * Copies a (small) floating-point tensor into a new f32 array, converting from F32, BF16, F16 or F64.
     * Throws when the dtype is not floating point or the tensor has more than 2^31-1 elements.
     */
    default float[] toFloatArray(String name) throws SafetensorsException {
        TensorInfo info = info(name);
        long n = info.elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw SafetensorsException.of(file(name), name, "too large for a float[] (" + n + " elements)");
        }
        return FloatConversions.toFloats(segment(name), info.dtype(), (int) n, file(name), name);
    }

    @Override
    void close();

    /**
     * Opens a checkpoint: a {@code .safetensors} file, a {@code model.safetensors.index.json} (all its
     * shards as one store), or a directory holding either.
     */
    static TensorStore open(Path path) throws IOException {
        return Safetensors.open(path);
    }
}
