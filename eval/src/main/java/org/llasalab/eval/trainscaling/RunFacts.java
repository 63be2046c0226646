package org.llasalab.eval.trainscaling;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.llasalab.eval.trainscaling.TrainScalingStudy.Run;
import org.llasalab.io.LlamaConfig;
import org.llasalab.train.TrainingSummary;

/**
 * What the study knows of a run: parameters (-1 unknown), its loss curve, whether it has an exported model
 * and that model's facts (speech tokens, FLOPs, wall seconds and held-out loss at the exported update; NaN /
 * -1 when unknown), and {@code problem}, why part of the study had to leave it out (null: none).
 */
public record RunFacts(Run run, long parameters, List<LossRow> curve, boolean hasModel, long speechTokens,
        double flops, double seconds, double heldoutLoss, String problem) {

    /**
     * Reads a run's facts from its folders: the curve from {@code loss.csv}; for an exported model, the
     * parameters from its {@code config.json} and the rest from its {@code summary.json} (the trainer's
     * {@link TrainingSummary} of the exported weights: a run may have gone on since). A model folder exported
     * before the trainer wrote summaries has none: its facts are then the curve's last row (its last
     * evaluation for the held-out loss). Without an exported model, the parameters come from the summary the
     * trainer keeps in the run's output folder, when there is one.
     */
    public static RunFacts read(Run r) throws IOException {
        List<String> problems = new ArrayList<>();
        List<LossRow> curve = List.of();
        if (Files.isRegularFile(r.lossCsv())) {
            curve = LossRow.read(r.lossCsv());
        } else {
            problems.add("no loss curve (" + r.lossCsv() + " not found)");
        }
        String problem;
        if (!r.hasModel()) {
            problems.add("no exported model (" + r.model() + " has no config.json; train it: llasa train "
                    + r.configFile() + " --resume)");
            problem = String.join("; ", problems);
            long parameters = TrainingSummary.exists(r.output()) ? TrainingSummary.read(r.output()).parameters() : -1;
            return new RunFacts(r, parameters, curve, false, -1, Double.NaN, Double.NaN, Double.NaN, problem);
        }
        problem = problems.isEmpty() ? null : String.join("; ", problems);
        long parameters = LlamaConfig.load(r.model()).parameterCount();
        if (TrainingSummary.exists(r.model())) {
            TrainingSummary s = TrainingSummary.read(r.model());
            return new RunFacts(r, parameters, curve, true, s.speechTokens(), s.flops(), s.seconds(), s.heldoutLoss(),
                    problem);
        }
        return fromCurve(r, parameters, curve, problem);
    }

    /**
     * An exported model without summary.json: the facts of the curve's last row and last evaluation. The
     * shipped micro-world models are such folders (and stay so: a new file in a model folder changes its
     * fingerprint, and with it the id of every cell over it); their curves end at the exported update.
     */
    private static RunFacts fromCurve(Run r, long parameters, List<LossRow> curve, String problem) {
        if (curve.isEmpty()) return new RunFacts(r, parameters, curve, true, -1, Double.NaN, Double.NaN, Double.NaN, problem);
        LossRow last = curve.getLast();
        double heldout = Double.NaN;
        for (LossRow row : curve) if (!Double.isNaN(row.heldoutLoss())) heldout = row.heldoutLoss();
        return new RunFacts(r, parameters, curve, true, last.speechTokens(), last.flops(), last.seconds(), heldout,
                problem);
    }
}
