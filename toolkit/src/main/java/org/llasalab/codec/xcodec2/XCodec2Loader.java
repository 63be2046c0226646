package org.llasalab.codec.xcodec2;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.llasalab.codec.CodecLoader;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.io.TensorStore;
import org.llasalab.tensor.BF16Tensor;
import org.llasalab.tensor.F32Tensor;
import org.llasalab.tensor.WeightMatrix;

/**
 * Loads an X-codec2 folder ({@code config.json} with {@code model_type: xcodec2} and one
 * {@code .safetensors} file, preferably {@code model.safetensors}) in either weight layout.
 */
public final class XCodec2Loader implements CodecLoader {
    @Override
    public String modelType() {
        return "xcodec2";
    }

    @Override
    public SpeechCodec load(Path dir, JsonNode config) throws IOException {
        XCodec2Config decoderConfig = XCodec2Config.fromJson(config, dir.resolve("config.json"));
        XCodec2Decoder decoder = loadDecoder(dir, decoderConfig);
        try {
            return new XCodec2Codec(decoder, loadEncoder(dir, config, decoderConfig), null);
        } catch (IOException e) {
            // a broken encoder must not stop decoding; encoding then reports exactly what is wrong
            return new XCodec2Codec(decoder, null, e.getMessage());
        }
    }

    /**
     * The encoder when the checkpoint holds one (else null: decode only). Its conformer matrices stay mapped from the
     * file, which the encoder closes.
     */
    public static XCodec2Encoder loadEncoder(Path dir, JsonNode json, XCodec2Config decoderConfig) throws IOException {
        Path weights = weightsFile(dir);
        TensorStore store = TensorStore.open(weights);
        try {
            if (!EncoderWeights.present(store.names())) {
                store.close();
                return null;
            }
            EncoderConfig config = EncoderConfig.fromJson(json, decoderConfig, dir.resolve("config.json"));
            return new XCodec2Encoder(config, EncoderWeights.load(encoderSource(store, weights), config), store);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** An encoder source over a safetensors checkpoint: matrices in place (f32, bf16), the rest copied to f32. */
    static EncoderWeights.Source encoderSource(TensorStore store, Path file) {
        return new EncoderWeights.Source() {
            @Override
            public Set<String> names() {
                return store.names();
            }

            @Override
            public int[] shape(String name) throws IOException {
                long[] shape = store.shape(name);
                int[] dims = new int[shape.length];
                for (int i = 0; i < dims.length; i++) dims[i] = Math.toIntExact(shape[i]);
                return dims;
            }

            @Override
            public float[] floats(String name) throws IOException {
                return store.toFloatArray(name);
            }

            @Override
            public WeightMatrix matrix(String name, int rows, int cols) throws IOException {
                return switch (store.dtype(name)) {
                    case F32 -> new F32Tensor(store.segment(name), rows, cols);
                    case BF16 -> new BF16Tensor(store.segment(name), rows, cols);
                    default -> F32Tensor.of(Arena.ofAuto(), store.toFloatArray(name), rows, cols);
                };
            }

            @Override
            public String describe() {
                return file.toString();
            }
        };
    }

    public static XCodec2Decoder loadDecoder(Path dir, XCodec2Config config) throws IOException {
        Path weights = weightsFile(dir);
        try (TensorStore store = TensorStore.open(weights)) {
            return new XCodec2Decoder(config, DecoderWeights.load(source(store, weights), config));
        }
    }

    static Path weightsFile(Path dir) throws IOException {
        Path preferred = dir.resolve("model.safetensors");
        if (Files.isRegularFile(preferred)) return preferred;
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
        if (found.size() != 1) {
            throw new IOException(dir + ": expected model.safetensors or exactly one .safetensors file, found "
                    + found.stream().map(p -> p.getFileName().toString()).toList());
        }
        return found.get(0);
    }

    /** A source over a safetensors checkpoint (tensors converted to f32 when asked for). */
    static DecoderWeights.Source source(TensorStore store, Path file) {
        return new DecoderWeights.Source() {
            @Override
            public Set<String> names() {
                return store.names();
            }

            @Override
            public Tensor get(String name) throws IOException {
                long[] shape = store.shape(name);
                int[] dims = new int[shape.length];
                for (int i = 0; i < dims.length; i++) dims[i] = Math.toIntExact(shape[i]);
                return new Tensor(name, dims, store.toFloatArray(name));
            }

            @Override
            public String describe() {
                return file.toString();
            }
        };
    }

    /** A source over tensors held in memory (benchmarks, conversions). */
    public static DecoderWeights.Source source(Map<String, Tensor> tensors, String description) {
        return new DecoderWeights.Source() {
            @Override
            public Set<String> names() {
                return tensors.keySet();
            }

            @Override
            public Tensor get(String name) throws IOException {
                Tensor t = tensors.get(name);
                if (t == null) throw new IOException(description + ": no tensor " + name);
                return t;
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
