package org.llasalab.verifiers.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;
import org.llasalab.verifiers.audio.Resampler;
import org.llasalab.verifiers.composite.CompositeVerifierProvider;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code llasa verify}: scores WAV files with any verifier. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Score WAV files with a verifier (WER, speaker similarity, emotion, composites).",
                "The verifier is a type (with --param k=v) or a name defined in a verifiers YAML file",
                "(--verifiers FILE; a map of name -> {type: ..., parameters}). Input audio of any rate is",
                "mixed to mono and resampled to 16 kHz."})
public final class VerifyCommand implements CliCommand, Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--verifier", required = true, paramLabel = "NAME|TYPE",
            description = "Verifier type (wer, sim, emotion, ...) or a name from --verifiers.")
    String verifier;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A verifier parameter (repeatable), e.g. model=spk.onnx.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--verifiers", paramLabel = "FILE", description = "YAML file of named verifiers.")
    Path verifiersFile;

    @Option(names = "--text", description = "What the audio should say (needed by WER).")
    String text;

    @Option(names = "--prompt-wav", paramLabel = "P", description = "The prompt audio (speaker / emotion reference).")
    Path promptWav;

    @Option(names = "--prompt-text", paramLabel = "T", description = "The prompt's transcript.")
    String promptText;

    @Option(names = "--emotion", paramLabel = "E", description = "The target emotion (emotion verifiers).")
    String emotion;

    @Option(names = "--json", description = "One JSON object per file: file, metric, score, details.")
    boolean json;

    @Parameters(paramLabel = "FILE.wav", arity = "1..*", description = "Audio files to score.")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        float[] prompt = promptWav == null ? null : read16k(promptWav);
        List<Candidate> batch = new ArrayList<>();
        for (Path file : files) {
            batch.add(new Candidate(read16k(file), text, prompt, promptText, emotion));
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        try (Verifier v = open()) {
            List<Score> scores = v.score(batch);
            for (int i = 0; i < files.size(); i++) {
                Score s = scores.get(i);
                if (json) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("file", files.get(i).toString());
                    row.put("metric", v.metric());
                    row.put("score", s.value());
                    row.put("details", s.details());
                    out.println(mapper.writeValueAsString(row));
                } else {
                    StringBuilder line = new StringBuilder(files.get(i).toString()).append('\t')
                            .append(v.metric()).append('=').append(String.format("%.4f", s.value()));
                    Object transcript = s.details().get("transcript");
                    if (transcript != null) line.append("\ttranscript=\"").append(transcript).append('"');
                    Object predicted = s.details().get("predicted");
                    if (predicted != null) line.append("\tpredicted=").append(predicted);
                    out.println(line);
                }
            }
        }
        out.flush();
        return 0;
    }

    private Verifier open() throws IOException {
        Map<String, Map<String, Object>> named = namedVerifiers();
        if (named.containsKey(verifier)) {
            if (!params.isEmpty()) {
                throw new IllegalArgumentException("--param applies to a verifier type, not to the named verifier '" + verifier + "'");
            }
            return new NamedVerifiers(named, verifiersFile.toAbsolutePath().getParent()).create(verifier);
        }
        if (!Verifiers.isType(verifier)) {
            throw new IllegalArgumentException("'" + verifier + "' is neither a verifier type (" + String.join(", ", Verifiers.types())
                    + ")" + (verifiersFile == null ? "" : " nor a name in " + verifiersFile + " (" + String.join(", ", named.keySet()) + ")"));
        }
        Map<String, Object> p = new LinkedHashMap<>(params);
        if (verifier.equals("composite")) {
            throw new IllegalArgumentException("a composite needs members: define it in a --verifiers file");
        }
        return Verifiers.create(verifier, p, Path.of("").toAbsolutePath());
    }

    private Map<String, Map<String, Object>> namedVerifiers() throws IOException {
        if (verifiersFile == null) return Map.of();
        if (!Files.isRegularFile(verifiersFile)) {
            throw new IllegalArgumentException("verifiers file " + verifiersFile + " does not exist");
        }
        Map<?, ?> root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readValue(verifiersFile.toFile(), Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("verifiers file " + verifiersFile + ": " + e.getMessage(), e);
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (root == null) return out;
        root.forEach((k, v) -> {
            if (!(v instanceof Map<?, ?> m) || m.get("type") == null) {
                throw new IllegalArgumentException("verifiers file " + verifiersFile + ": entry '" + k + "' must be a map with 'type'");
            }
            Map<String, Object> params = new LinkedHashMap<>();
            m.forEach((pk, pv) -> params.put(String.valueOf(pk), pv));
            out.put(String.valueOf(k), params);
        });
        return out;
    }

    /** Named verifiers from a YAML map; composites may refer to other names (cycles are refused). */
    private record NamedVerifiers(Map<String, Map<String, Object>> specs, Path baseDir) {
        Verifier create(String name) {
            return create(name, new ArrayList<>());
        }

        private Verifier create(String name, List<String> path) {
            if (path.contains(name)) {
                throw new IllegalArgumentException("verifiers file: cycle " + String.join(" -> ", path) + " -> " + name);
            }
            Map<String, Object> spec = specs.get(name);
            if (spec == null) return null;
            Map<String, Object> params = new LinkedHashMap<>(spec);
            String type = params.remove("type").toString();
            if (type.equals("composite")) {
                List<String> deeper = new ArrayList<>(path);
                deeper.add(name);
                List<Verifier> resolved = new ArrayList<>();
                Verifier composite = CompositeVerifierProvider.fromParams(params, baseDir, ref -> {
                    Verifier v = create(ref, deeper);
                    if (v != null) resolved.add(v);
                    return v;
                });
                return new Verifier() { // closes the named members it created, too
                    @Override public String metric() { return composite.metric(); }
                    @Override public Direction direction() { return composite.direction(); }
                    @Override public double min() { return composite.min(); }
                    @Override public double max() { return composite.max(); }
                    @Override public List<Score> score(List<Candidate> batch) { return composite.score(batch); }
                    @Override public void close() {
                        composite.close();
                        resolved.forEach(Verifier::close);
                    }
                };
            }
            return Verifiers.create(type, params, baseDir);
        }
    }

    static float[] read16k(Path file) throws IOException {
        Audio audio = Wav.read(file);
        if (audio.samples().length == 0) {
            throw new IllegalArgumentException(file + ": no audio samples");
        }
        return audio.sampleRate() == Candidate.SAMPLE_RATE ? audio.samples()
                : Resampler.resample(audio.samples(), audio.sampleRate(), Candidate.SAMPLE_RATE);
    }
}
