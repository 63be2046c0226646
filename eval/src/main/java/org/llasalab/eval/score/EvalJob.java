package org.llasalab.eval.score;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.llasalab.eval.bench.Benchmark;
import org.llasalab.eval.experiment.Experiment.VerifierSpec;
import org.llasalab.verify.CachingVerifier;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;

/**
 * Everything {@code llasa eval} does, as a library call: check the outputs, create the verifiers
 * through the registry, score in batches, aggregate with bootstrap intervals and write
 * {@code utterances.csv}, {@code aggregate.csv} and {@code report.html} to {@code outDir}. Scores
 * are journalled in {@code outDir/scores.jsonl} after every batch; with {@code resume} the still-valid
 * ones are reused (see {@link ScoreJournal}).
 */
public final class EvalJob {
    /** What to score and how. {@code batchSize}: utterances per verifier call. */
    public record Request(Benchmark benchmark, Path audioDir, List<VerifierSpec> verifiers, Path outDir,
                          boolean allowMissing, int batchSize, int resamples, long seed, boolean resume) {
        public Request {
            verifiers = List.copyOf(verifiers);
        }
    }

    private EvalJob() {}

    public static ScoreTable run(Request request, List<TranscriptRescorer> rescorers, Consumer<String> progress) throws IOException {
        Evaluation.checkOutputs(request.benchmark(), request.audioDir(), request.allowMissing());
        List<Evaluation.Column> columns = new ArrayList<>();
        try {
            for (VerifierSpec spec : request.verifiers()) {
                Verifier v;
                try {
                    v = Verifiers.create(spec.type(), spec.params(), Path.of("").toAbsolutePath());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("verifier '" + spec.name() + "': " + e.getMessage(), e);
                }
                columns.add(new Evaluation.Column(spec.name(), spec.type(), CachingVerifier.identity(spec.type(), spec.params()), v));
            }
            List<ScoredItem> rows;
            try (ScoreJournal journal = ScoreJournal.open(request.outDir(), request.resume())) {
                rows = Evaluation.score(request.benchmark(), request.audioDir(), columns, request.batchSize(), journal, progress);
            }
            List<ScoreTable.ColumnInfo> infos = columns.stream().map(c -> new ScoreTable.ColumnInfo(
                    c.name(), c.type(), c.verifier().metric(), c.verifier().direction())).toList();
            ScoreTable table = new ScoreTable(infos, rows, rescorers, request.resamples(), request.seed());
            CsvReport.write(table, request.outDir());
            HtmlReport.write(table, request.benchmark().name(), request.audioDir(), request.outDir());
            return table;
        } finally {
            for (Evaluation.Column c : columns) c.verifier().close();
        }
    }
}
