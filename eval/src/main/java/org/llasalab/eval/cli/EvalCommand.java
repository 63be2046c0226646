package org.llasalab.eval.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.eval.bench.Benchmark;
import org.llasalab.eval.bench.Benchmarks;
import org.llasalab.eval.score.Aggregate;
import org.llasalab.eval.score.EvalJob;
import org.llasalab.eval.score.ScoreTable;
import org.llasalab.eval.score.TranscriptRescorers;
import org.llasalab.eval.experiment.Experiment.VerifierSpec;
import org.llasalab.eval.score.VerifierFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code llasa eval}: score a folder of {@code <utt>.wav} against a benchmark with the seed-tts-eval protocol. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {
            "Score a folder of <utt>.wav files (from any TTS system) against a benchmark with the seed-tts-eval protocol:"
                    + " audio read as 16 kHz mono, per-utterance scores, WER as the mean of per-utterance rates plus corpus WER"
                    + " and normalised variants, SIM mean and variance, each with a 95%% bootstrap interval.",
            "Writes utterances.csv, aggregate.csv and report.html to --out."})
public final class EvalCommand implements CliCommand, Callable<Integer> {
    @Option(names = "--benchmark", required = true, paramLabel = "LIST|micro-test",
            description = "A seed-tts-eval meta.lst (utt|prompt_text|prompt_wav|target_text[|gt_wav]), a LibriSpeech-PC"
                    + " continuation list (6 tab-separated fields), or micro-test.")
    String benchmark;

    @Option(names = "--audio-dir", required = true, paramLabel = "DIR", description = "Folder holding <utt>.wav for every item.")
    Path audioDir;

    @Option(names = "--verifiers", required = true, split = ",", paramLabel = "[NAME=]TYPE",
            description = "Verifier columns: a registry type (wer, sim, emotion, active-speech, ...) or name=type,"
                    + " e.g. wer,sim or cer=wer (with --verifier-param cer.unit=character).")
    List<String> verifiers;

    @Option(names = "--verifier-param", paramLabel = "NAME.KEY=VALUE",
            description = "A parameter of the verifier named NAME (repeatable), e.g. wer.asr=<back-end> or sim.model=speaker.onnx.")
    List<String> verifierParams = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: <audio-dir>/eval).")
    Path out;

    @Option(names = "--limit", paramLabel = "N", description = "Score only the first N items (default: all).")
    int limit;

    @Option(names = "--allow-missing", description = "Score the outputs that exist; count and list the missing ones.")
    boolean allowMissing;

    @Option(names = "--batch-size", defaultValue = "16", paramLabel = "N", description = "Utterances per verifier call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--audio-root", paramLabel = "DIR",
            description = "LibriSpeech tree for LibriSpeech-PC lists (default: the list's folder).")
    Path audioRoot;

    @Option(names = "--resume",
            description = "Reuse the scores journalled in --out/scores.jsonl by an earlier (interrupted) run, for outputs"
                    + " and verifier settings that did not change.")
    boolean resume;

    @Option(names = "--bootstrap", defaultValue = "2000", paramLabel = "N", description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Option(names = "--seed", defaultValue = "12345", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter stdout = spec.commandLine().getOut();
        java.io.PrintWriter stderr = spec.commandLine().getErr();
        if (limit < 0) throw new IllegalArgumentException("--limit must not be negative, got " + limit);
        if (resamples < 1) throw new IllegalArgumentException("--bootstrap must be at least 1, got " + resamples);
        Benchmark bench = Benchmarks.open(benchmark, audioRoot).limit(limit);
        List<VerifierSpec> specs = VerifierFlags.parse(verifiers, verifierParams);
        Path outDir = out != null ? out : audioDir.resolve("eval");
        EvalJob.Request request = new EvalJob.Request(bench, audioDir, specs, outDir, allowMissing, batchSize, resamples, seed, resume);
        ScoreTable table = EvalJob.run(request, TranscriptRescorers.available(), msg -> {
            stderr.println("llasa eval: " + msg);
            stderr.flush();
        });
        stdout.printf(Locale.ROOT, "%s: %d items, %d scored, %d missing%n", bench.name(), table.rows().size(),
                table.scored().size(), table.missing().size());
        for (Aggregate a : table.aggregates()) {
            stdout.printf(Locale.ROOT, "  %-12s %-16s %.4f  [%.4f, %.4f]  n=%d%n", a.column(), a.statistic(), a.value(),
                    a.interval().low(), a.interval().high(), a.interval().n());
        }
        table.missing().forEach(r -> stdout.println("  missing: " + r.item().id()));
        stdout.println("wrote " + outDir.resolve("utterances.csv") + ", aggregate.csv, report.html");
        stdout.flush();
        return 0;
    }
}
