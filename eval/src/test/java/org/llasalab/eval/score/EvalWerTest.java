package org.llasalab.eval.score;

import org.llasalab.verifiers.whisper.TinyWhisperModel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.cli.Main;
import org.llasalab.eval.audio.EvalAudio;
import org.llasalab.eval.bench.Benchmark;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.bench.Benchmarks;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;
import org.llasalab.verifiers.wer.EnglishNormalizer;
import org.llasalab.verifiers.wer.WerAggregate;
import org.llasalab.verifiers.wer.WerVerifier;
import picocli.CommandLine;

/**
 * {@code llasa eval} with the real {@code wer} verifier on whisper.cpp (a tiny model whose transcript
 * is "hello" by construction): the per-utterance WER, its mean (the seed-tts-eval figure), the corpus
 * WER and the english-normalised variants equal what the verifier and the WER library compute directly.
 */
class EvalWerTest {
    @TempDir
    Path dir;

    @Test
    void werAggregatesMatchTheVerifier() throws Exception {
        EvalFixture fx = new EvalFixture(dir, 5);
        String[] targets = {"Hello.", "Hello, world!", "Goodbye", "Hello, don't", "hello hello"};
        StringBuilder meta = new StringBuilder();
        for (int i = 0; i < targets.length; i++) {
            meta.append(fx.ids.get(i)).append("|prompt|prompts/").append(fx.ids.get(i)).append(".wav|").append(targets[i]).append('\n');
        }
        Files.writeString(fx.list, meta);
        Path model = TinyWhisperModel.write(dir.resolve("tiny-whisper.bin"), TinyWhisperModel.LARGE_V3_VOCAB);
        Map<String, Object> params = Map.of("asr", "whisper", "model", model.toString(), "states", "1");

        Path out = dir.resolve("report");
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute("eval", "--benchmark", fx.list.toString(), "--audio-dir", fx.outputs.toString(),
                "--verifiers", "wer", "--verifier-param", "wer.asr=whisper", "--verifier-param", "wer.model=" + model,
                "--verifier-param", "wer.states=1", "--out", out.toString(), "--batch-size", "2");
        assertEquals(0, code, err.toString());

        Benchmark bench = Benchmarks.open(fx.list.toString());
        List<Candidate> batch = new ArrayList<>();
        for (BenchmarkItem item : bench.items()) {
            batch.add(new Candidate(EvalAudio.load16k(fx.outputs.resolve(item.id() + ".wav")), item.targetText(),
                    EvalAudio.load16k(item.promptWav()), item.promptText(), null));
        }
        List<Score> direct;
        try (Verifier wer = Verifiers.create("wer", params, dir)) {
            direct = wer.score(batch);
        }
        WerAggregate protocol = new WerAggregate();
        WerAggregate english = new WerAggregate();
        WerVerifier englishWer = new WerVerifier(null, new EnglishNormalizer(), WerVerifier.Unit.WORD);
        Map<String, double[]> perUtt = new HashMap<>();
        for (int i = 0; i < direct.size(); i++) {
            protocol.add(WerVerifier.counts(direct.get(i)));
            Score e = englishWer.compare(targets[i], (String) direct.get(i).details().get("transcript"));
            english.add(WerVerifier.counts(e));
            perUtt.put(fx.ids.get(i), new double[] {direct.get(i).value(), e.value()});
        }
        assertEquals(List.of(0.0, 0.5, 1.0, 0.5, 0.5), direct.stream().map(Score::value).toList());
        assertNotEquals(protocol.meanUtteranceRate(), english.meanUtteranceRate(), "\"don't\" differs under the english normaliser");

        List<List<String>> rows = EvalCommandTest.readCsv(out.resolve("utterances.csv"));
        List<String> header = rows.getFirst();
        int wer = header.indexOf("wer");
        int werEnglish = header.indexOf("wer_english");
        int transcript = header.indexOf("wer_transcript");
        for (List<String> r : rows.subList(1, rows.size())) {
            assertEquals(perUtt.get(r.get(1))[0], Double.parseDouble(r.get(wer)), 0.0, r.get(1));
            assertEquals(perUtt.get(r.get(1))[1], Double.parseDouble(r.get(werEnglish)), 0.0, r.get(1));
            assertEquals("hello", r.get(transcript));
        }
        assertEquals("utt-02", rows.get(1).get(1), "worst WER first");

        Map<String, Double> agg = new HashMap<>();
        List<List<String>> aggregate = EvalCommandTest.readCsv(out.resolve("aggregate.csv"));
        for (List<String> r : aggregate.subList(1, aggregate.size())) {
            if (r.get(0).equals("wer")) agg.put(r.get(1), Double.parseDouble(r.get(2)));
        }
        assertEquals(protocol.meanUtteranceRate(), agg.get("mean"), 1e-12);
        assertEquals(protocol.corpusRate(), agg.get("corpus"), 1e-12);
        assertEquals(english.meanUtteranceRate(), agg.get("mean_english"), 1e-12);
        assertEquals(english.corpusRate(), agg.get("corpus_english"), 1e-12);
    }
}
