package org.llasalab.eval.experiment;

import java.util.List;
import org.llasalab.io.yaml.Problem;
import org.llasalab.io.yaml.YamlException;

/** Every problem found in an experiment (or study) file, reported at once before any work starts. */
public final class ExperimentException extends YamlException {
    public ExperimentException(List<Problem> problems) {
        super("the experiment", problems);
    }
}
