package org.llasalab.codec.xcodec2;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.llasalab.codec.CodecLoader;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.io.TensorStore;

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
        return new XCodec2Codec(loadDecoder(dir, XCodec2Config.fromJson(config, dir.resolve("config.json"))));
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
