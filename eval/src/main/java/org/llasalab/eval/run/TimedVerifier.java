package org.llasalab.eval.run;

import java.util.List;
import org.llasalab.eval.run.RunClock.Component;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;

/** A verifier whose score calls count as {@link Component#VERIFIERS} on a {@link RunClock}. */
final class TimedVerifier implements Verifier {
    private final Verifier verifier;
    private final RunClock clock;

    TimedVerifier(Verifier verifier, RunClock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    @Override
    public String metric() {
        return verifier.metric();
    }

    @Override
    public Direction direction() {
        return verifier.direction();
    }

    @Override
    public double min() {
        return verifier.min();
    }

    @Override
    public double max() {
        return verifier.max();
    }

    @Override
    public boolean better(double a, double b) {
        return verifier.better(a, b);
    }

    @Override
    public List<Score> score(List<Candidate> batch) {
        return clock.time(Component.VERIFIERS, () -> verifier.score(batch));
    }

    @Override
    public void close() {
        verifier.close();
    }
}
