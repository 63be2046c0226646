package org.llasalab.eval.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;
import org.llasalab.eval.bench.BenchmarkException;
import org.llasalab.eval.bench.SeedTtsList;
import org.llasalab.eval.experiment.Environments;
import org.llasalab.eval.experiment.ExperimentException;
import org.llasalab.eval.experiment.ExperimentReader;
import org.llasalab.fuzz.ParseContract;

/**
 * Fuzz tests of the eval module's parsers of user files: a seed-tts-eval {@code meta.lst}, its sidecar
 * {@code items.tsv}, and an experiment YAML. Every build replays the seeds and past findings in
 * {@code src/test/resources/org/llasalab/eval/fuzz/EvalParsersFuzzTestInputs/METHOD/}; {@code ./llasa
 * --fuzz} mutates them. Contract: {@link BenchmarkException} or {@link ExperimentException} naming the
 * file, never another exception, an error or a hang.
 */
class EvalParsersFuzzTest {
    /** Discovered once: scanning the class path per input would leave the fuzzer a few inputs a second. */
    private static final org.llasalab.eval.experiment.Environment ENVIRONMENT = Environments.discover();

    /** A list folder with one valid prompt WAV ({@code wavs/a.wav}) for lists to name. */
    private static Path listDir(String name) throws Exception {
        Path dir = ParseContract.scratch().resolve(name);
        Path wav = dir.resolve("wavs/a.wav");
        if (!Files.isRegularFile(wav)) {
            Files.createDirectories(wav.getParent());
            Wav.write(wav, new Audio(new float[1600], 16_000), false);
        }
        return dir;
    }

    /** A seed-tts-eval {@code meta.lst}: {@code utt|prompt_text|prompt_wav|target_text[|gt_wav]} lines. */
    @FuzzTest
    void metaLst(byte[] bytes) throws Exception {
        Path list = listDir("lst").resolve("meta.lst");
        Files.write(list, bytes);
        ParseContract.check(list, () -> SeedTtsList.read(list), BenchmarkException.class);
    }

    /** An {@code items.tsv} beside a valid two-item {@code meta.lst}. */
    @FuzzTest
    void itemsTsv(byte[] bytes) throws Exception {
        Path dir = listDir("tsv");
        Path list = dir.resolve("meta.lst");
        Files.writeString(list, "u1|a prompt|wavs/a.wav|the first target\nu2|a prompt|wavs/a.wav|the second target\n");
        Path manifest = dir.resolve("items.tsv");
        Files.write(manifest, bytes);
        ParseContract.check(manifest, () -> SeedTtsList.read(list), BenchmarkException.class);
    }

    /** An experiment YAML, read against the real environment (the micro-world catalogue). */
    @FuzzTest
    void experimentYaml(byte[] bytes) throws Exception {
        Path dir = ParseContract.scratch().resolve("yaml");
        Files.createDirectories(dir);
        Path file = dir.resolve("experiment.yaml");
        Files.write(file, bytes);
        ParseContract.check(file, () -> new ExperimentReader(ENVIRONMENT).read(file),
                ExperimentException.class);
    }
}
