package org.llasalab.eval.experiment;

import java.nio.file.Path;
import org.llasalab.eval.run.Progress;

/** A run in its own JVM for {@link KillAndResumeTest}: args = experiment folder, output folder, ms per utterance, [share] to run budget groups. */
public final class KillableRunMain {
    private KillableRunMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Experiment e = TestSupport.read(dir, KillAndResumeTest.EXPERIMENT);
        TestSupport.runner(new FakeExecutor(Long.parseLong(args[2]), null, null,
                args.length > 3 && args[3].equals("share")), Progress.silent()).run(e, Path.of(args[1]));
    }
}
