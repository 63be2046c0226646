package org.llasalab.eval.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.eval.experiment.Environments;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.ExperimentReader;
import org.llasalab.eval.experiment.SweepExpander;
import org.llasalab.eval.trainscaling.TrainScalingStudy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code llasa validate FILE}: checks an experiment file and reports every problem at once. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check an experiment or study YAML file (keys, types, strategy and verifier types, files) without running it.")
public final class ValidateCommand implements CliCommand, Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The experiment YAML file.")
    Path file;

    @Override
    public Integer call() throws Exception {
        if (TrainScalingStudy.isStudy(file)) {
            TrainScalingStudy study = TrainScalingStudy.read(file, Environments.discover());
            int cells = new SweepExpander(p -> "").expand(study.finalExperiment()).size();
            System.out.println(file + ": valid train-scaling study (" + study.runs().size() + " runs "
                    + study.runs().keySet() + "; final experiment: " + cells + " cells once every run is exported)");
            return 0;
        }
        Experiment e = new ExperimentReader(Environments.discover()).read(file);
        int cells = new SweepExpander(p -> "").expand(e).size();
        System.out.println(file + ": valid (" + e.models().size() + " models, " + e.strategies().size()
                + " strategies, " + e.seeds().size() + " seeds: " + cells + " cells)");
        return 0;
    }
}
