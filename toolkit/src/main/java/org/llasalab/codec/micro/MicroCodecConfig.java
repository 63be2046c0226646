package org.llasalab.codec.micro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The micro codec's {@code config.json}: log-mel front end (Slaney mel filters on the STFT magnitude,
 * natural log with a floor), {@code frames_per_code} consecutive frames per code, K codes, and the
 * Griffin-Lim settings of the decoder.
 */
public record MicroCodecConfig(int sampleRate, int nFft, int melHop, int mels, int framesPerCode, int codebookSize,
        float logFloor, int griffinLimIterations, double griffinLimMomentum) {
    public static final String MODEL_TYPE = "llasa-micro-codec";

    public MicroCodecConfig {
        if (sampleRate <= 0 || nFft < 16 || melHop <= 0 || melHop > nFft / 2 || mels <= 0 || framesPerCode <= 0
                || codebookSize <= 1 || !(logFloor > 0) || griffinLimIterations < 0) {
            throw new IllegalArgumentException("invalid micro codec config: " + this);
        }
    }

    public static MicroCodecConfig defaults(int framesPerCode, int codebookSize) {
        return new MicroCodecConfig(16000, 1024, 320, 80, framesPerCode, codebookSize, 1e-5f, 32, 0.99);
    }

    /** Samples per code. */
    public int hop() {
        return melHop * framesPerCode;
    }

    /** Dimension of a code vector. */
    public int codeDim() {
        return mels * framesPerCode;
    }

    public static MicroCodecConfig parse(JsonNode c, String source) throws IOException {
        String type = c.path("model_type").asText("");
        if (!MODEL_TYPE.equals(type)) throw new IOException(source + ": model_type is '" + type + "', expected " + MODEL_TYPE);
        try {
            return new MicroCodecConfig(req(c, "sample_rate", source).asInt(), req(c, "n_fft", source).asInt(),
                    req(c, "hop_length", source).asInt(), req(c, "n_mels", source).asInt(),
                    req(c, "frames_per_code", source).asInt(), req(c, "codebook_size", source).asInt(),
                    (float) req(c, "log_floor", source).asDouble(), req(c, "griffin_lim_iterations", source).asInt(),
                    req(c, "griffin_lim_momentum", source).asDouble());
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode req(JsonNode c, String key, String source) throws IOException {
        JsonNode v = c.get(key);
        if (v == null || !v.isNumber()) throw new IOException(source + ": missing or non-numeric '" + key + "'");
        return v;
    }

    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("model_type", MODEL_TYPE);
        o.put("sample_rate", sampleRate);
        o.put("n_fft", nFft);
        o.put("hop_length", melHop);
        o.put("n_mels", mels);
        o.put("frames_per_code", framesPerCode);
        o.put("codebook_size", codebookSize);
        o.put("log_floor", logFloor);
        o.put("griffin_lim_iterations", griffinLimIterations);
        o.put("griffin_lim_momentum", griffinLimMomentum);
        o.put("frame_rate", sampleRate / (double) hop());
        return o;
    }
}
