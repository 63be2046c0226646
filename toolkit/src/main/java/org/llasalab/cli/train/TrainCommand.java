package org.llasalab.cli.train;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.llasalab.train.NativeBackend;
import org.llasalab.train.TrainingConfig;
import org.llasalab.train.TrainingRun;

/**
 * {@code llasa train FILE.yaml [--resume] [--threads N] | --export-latest [--to DIR]}: a training run described in YAML (see
 * {@link TrainingConfig}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a Llama-architecture Llasa LM with SameDiff on CPU and export it as a Hugging Face folder.",
                "Logs to OUTPUT/train.log and OUTPUT/loss.csv (step,tokens,flops,train_loss,heldout_loss,seconds,speech_tokens);"
                        + " checkpoints in OUTPUT/checkpoints; the model in OUTPUT/model."})
public final class TrainCommand implements CliCommand, Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.yaml", description = "the run description")
    Path file;

    @Option(names = "--resume", description = "continue from the newest checkpoint in the output folder")
    boolean resume;

    @Option(names = "--check", description = "validate the YAML and print the resolved run, then stop")
    boolean check;

    @Option(names = "--export-latest", description = "export the newest checkpoint as it is (no training), to evaluate"
            + " a run while it trains; into OUTPUT/export-step-NNNNNNNN unless --to is given")
    boolean exportLatest;

    @Option(names = "--to", paramLabel = "DIR", description = "with --export-latest: the export folder")
    Path to;

    @Option(names = "--threads", paramLabel = "N", description = "native (OpenMP) threads for this invocation instead"
            + " of the file's `threads` (a resume on a bigger machine); what is trained does not change")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        TrainingConfig config = TrainingConfig.load(file);
        if (threads != null) {
            if (threads < 1 || threads > 256) throw new IllegalArgumentException("--threads must be in 1..256, got " + threads);
            config = config.withThreads(threads);
        }
        if (check) {
            System.out.printf("%s: valid; model %s; output %s%n", file, config.shape(), config.output());
            return 0;
        }
        if (to != null && !exportLatest) throw new IllegalArgumentException("--to goes with --export-latest");
        if (exportLatest) {
            if (resume) throw new IllegalArgumentException("--export-latest trains nothing: drop --resume");
            Path model = new TrainingRun(config, "llasa train " + file + " (checkpoint exported with --export-latest)")
                    .exportLatest(to);
            System.out.println("exported " + model);
            return 0;
        }
        NativeBackend.select(config.nativeBuild(), config.threads());
        String command = "llasa train " + file + (resume ? " --resume" : "") + (threads != null ? " --threads " + threads : "");
        Path model = new TrainingRun(config, command).run(resume);
        System.out.println("exported " + model);
        return 0;
    }
}
