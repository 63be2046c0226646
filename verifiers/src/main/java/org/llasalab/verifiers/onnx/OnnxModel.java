package org.llasalab.verifiers.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ONNX model run with ONNX Runtime on the CPU, with one float input and float outputs. Thread-safe
 * (ONNX Runtime sessions may be run concurrently). Load errors name the model file.
 */
public final class OnnxModel implements AutoCloseable {
    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;

    /**
     * Loads {@code file}; {@code inputName} null means the model's first input. {@code threads} is the
     * intra-op thread count (0: ONNX Runtime's default).
     */
    public OnnxModel(Path file, String inputName, int threads) {
        this.file = file;
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("ONNX model file " + file + " does not exist or is not readable");
        }
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            this.session = env.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("cannot load ONNX model " + file + ": " + e.getMessage(), e);
        }
        List<String> inputs = inputNames();
        if (inputName == null) {
            this.input = inputs.getFirst();
        } else if (inputs.contains(inputName)) {
            this.input = inputName;
        } else {
            closeQuietly();
            throw new IllegalArgumentException("ONNX model " + file + " has no input '" + inputName + "'; inputs: "
                    + inputs);
        }
    }

    public Path file() {
        return file;
    }

    public List<String> inputNames() {
        return new ArrayList<>(session.getInputNames());
    }

    public List<String> outputNames() {
        return new ArrayList<>(session.getOutputNames());
    }

    /** Checks that {@code name} is an output of the model, or picks the first output when null. */
    public String output(String name) {
        List<String> outputs = outputNames();
        if (name == null) return outputs.getFirst();
        if (!outputs.contains(name)) {
            throw new IllegalArgumentException("ONNX model " + file + " has no output '" + name + "'; outputs: " + outputs);
        }
        return name;
    }

    /** The declared rank of the input, or -1 when not a tensor. */
    public int inputRank() {
        try {
            NodeInfo info = session.getInputInfo().get(input);
            if (info.getInfo() instanceof ai.onnxruntime.TensorInfo t) return t.getShape().length;
            return -1;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX model " + file + ": " + e.getMessage(), e);
        }
    }

    /** Runs the model on one input tensor of {@code shape} and returns the requested outputs, flattened. */
    public Map<String, float[]> run(float[] data, long[] shape, List<String> outputs) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
             OrtSession.Result result = session.run(Map.of(input, tensor), new java.util.HashSet<>(outputs))) {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (String name : outputs) {
                Optional<OnnxValue> value = result.get(name);
                if (value.isEmpty() || !(value.get() instanceof OnnxTensor t)) {
                    throw new IllegalStateException("ONNX model " + file + " gave no tensor for output '" + name + "'");
                }
                FloatBuffer fb = t.getFloatBuffer();
                if (fb == null) {
                    throw new IllegalStateException("ONNX model " + file + ": output '" + name + "' is not float32");
                }
                float[] values = new float[fb.remaining()];
                fb.get(values);
                out.put(name, values);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("running ONNX model " + file + ": " + e.getMessage(), e);
        }
    }

    private void closeQuietly() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // already failing
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX model " + file + ": " + e.getMessage(), e);
        }
    }
}
