package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.cli.Main;
import org.llasalab.lm.prompt.LlasaTokenizer;
import picocli.CommandLine;

class TrainCommandTest {
    @org.junit.jupiter.api.BeforeAll
    static void oneNativeThread() {
        NativeBackend.select(NativeBackend.DEFAULT_BUILD, 1); // the machine is shared: one OpenMP thread is fastest
    }

    static final String[] PHONES = {"h", "@", "l", "oU", "w", "3:", "d", "k", "a"};

    /** Synthetic utterances: codes are a deterministic function of the symbols, voices shift the codes. */
    static List<Utterance> utterances(int count) {
        SplittableRandom r = new SplittableRandom(5);
        List<Utterance> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int voice = i % 2;
            int n = 2 + r.nextInt(4);
            StringBuilder text = new StringBuilder();
            int[] codes = new int[n * 2];
            for (int j = 0; j < n; j++) {
                int p = r.nextInt(PHONES.length);
                if (j > 0) text.append(" | ");
                text.append(PHONES[p]);
                codes[2 * j] = p * 3 + voice;
                codes[2 * j + 1] = p * 3 + voice + 1;
            }
            out.add(new Utterance("utt" + i, "voice" + voice, "", text.toString(), codes));
        }
        return out;
    }

    static String yaml(String extra) {
        return """
                model:
                  hidden: 16
                  layers: 1
                  heads: 2
                  kv_heads: 1
                  intermediate: 24
                  max_positions: 128
                data:
                  cache: cache.bin
                  pairs_fraction: 0.5
                  heldout_fraction: 0.1
                  template: no-system
                train:
                  speech_tokens: 600
                  batch: 4
                  buckets: [40, 64]
                  learning_rate: 0.003
                  warmup_steps: 3
                  log_interval: 2
                  eval_interval: 5
                  checkpoint_interval: 5
                output: out
                export_dtype: f32
                """ + extra;
    }

    static int run(StringWriter err, String... args) {
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void trainsExportsAndResumes(@TempDir Path tmp) throws Exception {
        UtteranceCache.write(tmp.resolve("cache.bin"), "micro", 32, utterances(40));
        Path file = Files.writeString(tmp.resolve("run.yaml"), yaml(""));
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "train", file.toString()), err.toString());
        Path out = tmp.resolve("out");
        List<String> csv = Files.readAllLines(out.resolve("loss.csv"));
        assertEquals(TrainingLog.CSV_HEADER, csv.get(0));
        assertTrue(csv.size() > 3, csv.toString());
        assertTrue(Files.readString(out.resolve("train.log")).contains("finished:"));
        try (LlasaTokenizer tokenizer = LlasaTokenizer.open(out.resolve("model"))) {
            assertEquals(32, tokenizer.speechTokens().codebookSize());
        }
        assertTrue(Files.isRegularFile(out.resolve("model/model.safetensors")));
        assertTrue(Files.readString(out.resolve("model/README.md")).contains("llasa train"));
        // A resumed run of a finished run restores the last checkpoint and exports again without training.
        assertEquals(0, run(err, "train", file.toString(), "--resume"), err.toString());
        assertEquals(csv, Files.readAllLines(out.resolve("loss.csv")));
        try { // the thread count of one invocation (the file says 1 by default)
            assertEquals(0, run(err, "train", file.toString(), "--resume", "--threads", "2"), err.toString());
            assertTrue(Files.readString(out.resolve("train.log")).strip().lines().filter(l -> l.startsWith("run: "))
                    .reduce((x, y) -> y).orElseThrow().endsWith(", 2 thread(s)"));
        } finally {
            oneNativeThread();
        }
        assertEquals(1, run(err, "train", file.toString(), "--resume", "--threads", "0"));
        assertTrue(err.toString().contains("--threads must be in 1..256, got 0"), err.toString());

        // The newest checkpoint (here the last update) exported without training: the same model and card.
        Path x = tmp.resolve("x");
        assertEquals(0, run(err, "train", file.toString(), "--export-latest", "--to", x.toString()), err.toString());
        for (String f : List.of("model.safetensors", "config.json", "tokenizer.json")) {
            assertEquals(-1, Files.mismatch(out.resolve("model").resolve(f), x.resolve(f)), f);
        }
        String card = Files.readString(x.resolve("README.md"));
        assertTrue(card.contains("--export-latest"), card);
        assertEquals(Files.readString(out.resolve("model/README.md")).replaceAll("llasa train [^\n|`]*", ""),
                card.replaceAll("llasa train [^\n|`]*", ""), "the same facts (updates, tokens, loss) as the final export");
        assertEquals(csv, Files.readAllLines(out.resolve("loss.csv")), "nothing trained");
        // summary.json: the run's at its last checkpoint, the export's and the checkpoint export's agree with the curve
        TrainingSummary summary = TrainingSummary.read(out);
        assertEquals(summary, TrainingSummary.read(out.resolve("model")));
        assertEquals(summary, TrainingSummary.read(x));
        String[] last = csv.getLast().split(",", -1);
        assertEquals(Long.parseLong(last[0]), summary.updates());
        assertEquals(Long.parseLong(last[1]), summary.tokens());
        assertEquals(Long.parseLong(last[6]), summary.speechTokens());
        assertEquals(last[4].isEmpty() ? Double.NaN : Double.parseDouble(last[4]), summary.heldoutLoss(), 1e-6);
        assertTrue(summary.speechTokens() >= 600, "the budget is reached");
        assertEquals(1, run(err, "train", file.toString(), "--to", x.toString()));
        assertTrue(err.toString().contains("--to goes with --export-latest"), err.toString());
    }

    @Test
    void aWsdRunResumedWithALargerBudgetSaysWhatHappensToTheLearningRate(@TempDir Path tmp) throws Exception {
        UtteranceCache.write(tmp.resolve("cache.bin"), "micro", 32, utterances(40));
        String wsd = yaml("").replace("  learning_rate: 0.003", "  learning_rate: 0.003\n  schedule: wsd\n  decay_fraction: 0.5");
        Path file = Files.writeString(tmp.resolve("run.yaml"), wsd);
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "train", file.toString()), err.toString());
        String log = Files.readString(tmp.resolve("out/train.log"));
        assertTrue(log.contains("learning rate stable until update"), log);
        // twice the budget from the finished run's last checkpoint: past its decay, so the rate rises again
        Path longer = Files.writeString(tmp.resolve("longer.yaml"), wsd.replace("speech_tokens: 600", "speech_tokens: 1200"));
        assertEquals(0, run(err, "train", longer.toString(), "--resume"), err.toString());
        log = Files.readString(tmp.resolve("out/train.log"));
        assertTrue(log.contains("the token budget now plans") && log.contains("(it rises again)"), log);

        Path cosineWithDecay = Files.writeString(tmp.resolve("decay.yaml"),
                yaml("").replace("  learning_rate: 0.003", "  learning_rate: 0.003\n  decay_fraction: 0.5"));
        assertEquals(1, run(err, "train", cosineWithDecay.toString()));
        assertTrue(err.toString().contains("decay.yaml:18: train.decay_fraction: only a 'wsd' schedule"), err.toString());
    }

    @Test
    void invalidFilesGiveErrorsNamingFileAndLine(@TempDir Path tmp) throws Exception {
        UtteranceCache.write(tmp.resolve("cache.bin"), "micro", 32, utterances(4));
        Path unknown = Files.writeString(tmp.resolve("unknown.yaml"), yaml("").replace("  batch: 4", "  batch: 4\n  bacth: 5"));
        StringWriter err = new StringWriter();
        assertEquals(1, run(err, "train", unknown.toString()));
        assertTrue(err.toString().contains("unknown.yaml:16: train: unknown key 'bacth'"), err.toString());

        Path wrongType = Files.writeString(tmp.resolve("type.yaml"), yaml("").replace("batch: 4", "batch: four"));
        err = new StringWriter();
        assertEquals(1, run(err, "train", wrongType.toString()));
        assertTrue(err.toString().contains("type.yaml:15: train.batch: expected an integer"), err.toString());

        Path missing = Files.writeString(tmp.resolve("missing.yaml"), yaml("").replace("cache.bin", "nope.bin"));
        err = new StringWriter();
        assertEquals(1, run(err, "train", missing.toString()));
        assertTrue(err.toString().contains("missing.yaml:9: data.cache: no such file"), err.toString());

        Path badNative = Files.writeString(tmp.resolve("native.yaml"), yaml("native: sse\n"));
        err = new StringWriter();
        assertEquals(1, run(err, "train", badNative.toString()));
        assertTrue(err.toString().contains("native.yaml:24: native: expected one of"), err.toString());
    }
}
