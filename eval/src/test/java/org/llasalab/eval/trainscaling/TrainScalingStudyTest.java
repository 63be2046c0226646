package org.llasalab.eval.trainscaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.eval.experiment.Environment;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.ExperimentException;
import org.llasalab.io.yaml.Problem;
import org.llasalab.eval.experiment.SweepExpander;
import org.llasalab.eval.experiment.TestSupport;

/** The study file: a valid one (whose runs need not have run yet) and broken ones, each problem at its line. */
class TrainScalingStudyTest {
    @TempDir
    Path dir;

    static final String STUDY = """
            study: train-scaling
            runs:
              small: train-small.yaml
              large: sub/train-large.yaml
            final:
              dataset: {name: tiny-test, limit: 3}
              strategies:
                sample: {type: sample, budgets: [1]}
                unprompted: {type: sample, voice_prompt: false, budgets: [1]}
              verifiers:
                wer: {type: fake-asr}
              seeds: [4]
            output: {dir: out/study}
            """;

    /** A training YAML (model shape, data with a codec, budget, output); its data files need not exist. */
    static String trainingYaml(int hidden, String codec, String output) {
        return """
                model: {hidden: %d, layers: 1, heads: 2, kv_heads: 1, intermediate: 64}
                data: {cache: missing-cache.bin, codec: %s}
                train: {speech_tokens: 1000}
                output: %s
                """.formatted(hidden, codec, output);
    }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    private Path validFiles() throws Exception {
        Files.createDirectories(dir.resolve("codecs/tiny"));
        write("train-small.yaml", trainingYaml(32, "codecs/tiny", "runs/small"));
        write("sub/train-large.yaml", trainingYaml(64, "tiny-codec", "../runs/large"));
        return write("study.yaml", STUDY);
    }

    private Environment environment() throws Exception {
        Path dataset = dir.resolve("meta.lst");
        if (!Files.exists(dataset)) Files.writeString(dataset, "");
        return TestSupport.environment(dataset);
    }

    private ExperimentException broken(String study) throws Exception {
        validFiles();
        Path f = write("study.yaml", study);
        Environment env = environment();
        return assertThrows(ExperimentException.class, () -> TrainScalingStudy.read(f, env));
    }

    private static Problem only(ExperimentException e) {
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().getFirst();
    }

    @Test
    void readsAStudyWhoseRunsHaveNotRunYet() throws Exception {
        Path f = validFiles();
        assertTrue(TrainScalingStudy.isStudy(f));
        TrainScalingStudy s = TrainScalingStudy.read(f, environment());
        assertEquals(List.of("small", "large"), List.copyOf(s.runs().keySet()));
        TrainScalingStudy.Run small = s.runs().get("small");
        assertEquals(dir.resolve("runs/small"), small.output(), "the output folder of the training YAML");
        assertEquals(dir.resolve("runs/small/model"), small.model());
        assertFalse(small.hasModel());
        assertEquals(dir.resolve("codecs/tiny"), small.codecDir(), "a codec folder relative to the training YAML");
        assertEquals(dir.resolve("tiny-codec"), s.runs().get("large").codecDir(), "a catalogue codec");
        assertFalse(s.trainMissing());
        assertEquals(Path.of("out/study"), s.outputDir());

        Experiment fin = s.finalExperiment();
        assertEquals(Set.of("small", "large"), fin.models().keySet(), "one model per run");
        assertEquals(small.model(), fin.models().get("small").dir());
        assertEquals(small.codecDir(), fin.models().get("small").codecDir());
        assertEquals(Path.of("out/study/final"), fin.output().dir());
        assertTrue(fin.strategies().get("sample").voicePrompt());
        assertFalse(fin.strategies().get("unprompted").voicePrompt());
        assertEquals(3, fin.dataset().limit());
        assertEquals(List.of(4L), fin.seeds());
        assertEquals(4, new SweepExpander(p -> "").expand(fin).size());
    }

    @Test
    void anExperimentFileIsNotAStudy() throws Exception {
        Path f = TestSupport.write(dir, "exp.yaml", TestSupport.smallExperiment("best"));
        assertFalse(TrainScalingStudy.isStudy(f));
    }

    @Test
    void unknownKeysAndKindsNameTheirLine() throws Exception {
        Problem p = only(broken(STUDY.replace("study: train-scaling", "study: inference-scaling")));
        assertEquals(1, p.location().line());
        assertEquals(8, p.location().column());
        assertTrue(p.message().contains("unknown kind 'inference-scaling' (allowed: [train-scaling])"), p.message());

        p = only(broken(STUDY.replace("output: {dir: out/study}", "outptu: {dir: out/study}")));
        assertEquals(13, p.location().line(), p.toString());
        assertTrue(p.message().contains("unknown key 'outptu'"), p.message());
        assertTrue(p.toString().startsWith(dir.resolve("study.yaml") + ":13:1: "), p.toString());

        p = only(broken(STUDY.replace("study: train-scaling", "study: train-scaling\ntrain_missing: sometimes")));
        assertEquals(2, p.location().line());
        assertTrue(p.message().contains("train_missing: expected true or false"), p.message());
    }

    @Test
    void missingAndInvalidTrainingFilesAreReportedAtTheirRun() throws Exception {
        Problem p = only(broken(STUDY.replace("sub/train-large.yaml", "train-huge.yaml")));
        assertEquals(4, p.location().line());
        assertEquals(10, p.location().column());
        assertTrue(p.message().contains("runs.large: training YAML " + dir.resolve("train-huge.yaml") + " not found"),
                p.message());

        write("train-bad.yaml", trainingYaml(32, "tiny-codec", "runs/bad").replace("layers: 1", "layers: one"));
        p = only(broken(STUDY.replace("sub/train-large.yaml", "train-bad.yaml")));
        assertEquals(4, p.location().line());
        assertTrue(p.message().contains("runs.large: invalid training YAML: " + dir.resolve("train-bad.yaml") + ":1"),
                "names the training file and its line: " + p.message());
        assertTrue(p.message().contains("model.layers"), p.message());

        write("train-same.yaml", trainingYaml(64, "tiny-codec", "runs/small"));
        p = only(broken(STUDY.replace("sub/train-large.yaml", "train-same.yaml")));
        assertTrue(p.message().contains("same output folder as run 'small'"), p.message());

        write("train-nocodec.yaml", trainingYaml(64, "no-such-codec", "runs/x"));
        p = only(broken(STUDY.replace("sub/train-large.yaml", "train-nocodec.yaml")));
        assertTrue(p.message().contains("data.codec 'no-such-codec'"), p.message());
    }

    @Test
    void theFinalBlockIsValidatedLikeAnExperiment() throws Exception {
        ExperimentException e = broken(STUDY.replace("  seeds: [4]", "  seeds: [4]\n  models: {x: {path: y}}")
                .replace("voice_prompt: false", "voice_prompt: 0"));
        assertEquals(2, e.problems().size(), e.getMessage());
        Problem a = e.problems().get(0);
        assertEquals(9, a.location().line());
        assertTrue(a.message().contains("strategies.unprompted.voice_prompt: expected true or false, found a number '0'"),
                a.message());
        Problem b = e.problems().get(1);
        assertEquals(13, b.location().line());
        assertEquals(3, b.location().column());
        assertTrue(b.message().contains("final: unknown key 'models'"), b.message());

        Problem p = only(broken(STUDY.replace("wer: {type: fake-asr}", "wer: {type: fake-wer}")));
        assertEquals(11, p.location().line());
        assertTrue(p.message().contains("unknown verifier type 'fake-wer'"), p.message());

        String noFinal = STUDY.substring(0, STUDY.indexOf("final:")) + "output: {dir: out/study}\n";
        p = only(broken(noFinal));
        assertTrue(p.message().contains("missing key 'final'"), p.message());
    }
}
