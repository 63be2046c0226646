package org.llasalab.cli.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.cli.Main;
import org.llasalab.lm.LlamaModel;
import org.llasalab.lm.prompt.LlasaPrompt;
import org.llasalab.lm.prompt.LlasaTokenizer;
import org.llasalab.lm.prompt.TestTokenizers;
import picocli.CommandLine;

/** {@code llasa generate --text}: the golden tiny Llama with a test tokenizer holding Llasa's markers. */
class GenerateTextTest {
    static final Path LLAMA = Path.of(System.getProperty("llasa.home", "."))
            .resolve("toolkit/src/test/resources/golden/llama/tiny-llama3");

    @TempDir
    Path tmp;
    Path modelDir;

    @BeforeEach
    void model() throws Exception {
        modelDir = Files.createDirectories(tmp.resolve("model"));
        for (String f : List.of("config.json", "model.safetensors")) Files.copy(LLAMA.resolve(f), modelDir.resolve(f));
        int words = TestTokenizers.PROMPT_WORDS.size() + 2;
        TestTokenizers.llasa(modelDir.resolve("tokenizer.json"), List.of("hello", "world"), 512 - words - 13);
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "generate";
        System.arraycopy(args, 0, all, 1, args.length);
        return cli.execute(all);
    }

    private List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(file)) out.add(json.readTree(line));
        return out;
    }

    @Test
    void writesOneLineOfSpeechCodesPerCandidate() throws Exception {
        Path out = tmp.resolve("codes.jsonl");
        assertEquals(0, run("--model", modelDir.toString(), "--text", "hello world", "--n", "4", "--seed", "3",
                "--max-new-tokens", "10", "--out", out.toString()));
        List<JsonNode> lines = lines(out);
        assertEquals(4, lines.size());
        int speechTokens = 512 - (TestTokenizers.PROMPT_WORDS.size() + 2) - 13;
        for (int c = 0; c < 4; c++) {
            JsonNode line = lines.get(c);
            assertEquals(c, line.get("candidate").asInt());
            int codes = line.get("codes").size();
            int tokens = line.get("tokens").asInt();
            assertEquals(line.get("finished").asBoolean() ? tokens - 1 : tokens, codes);
            assertTrue(tokens >= 1 && tokens <= 10);
            for (JsonNode code : line.get("codes")) {
                assertTrue(code.asInt() >= 0 && code.asInt() < speechTokens, "code " + code + " is a speech code");
            }
            assertTrue(line.get("mean_logprob").asDouble() <= 0);
        }
        Path again = tmp.resolve("again.jsonl");
        assertEquals(0, run("--model", modelDir.toString(), "--text", "hello world", "--n", "4", "--seed", "3",
                "--max-new-tokens", "10", "--out", again.toString()));
        assertEquals(Files.readString(out), Files.readString(again), "same seed, same codes");
    }

    @Test
    void greedyCodesFollowTheArgmaxOverSpeechTokensOfThePrompt() throws Exception {
        Path out = tmp.resolve("greedy.jsonl");
        assertEquals(0, run("--model", modelDir.toString(), "--text", "world", "--prompt-text", "hello",
                "--prompt-codes", Files.writeString(tmp.resolve("p.json"), "[3, 9, 27]").toString(),
                "--greedy", "--max-new-tokens", "3", "--out", out.toString()));
        JsonNode first = lines(out).get(0);
        try (LlasaTokenizer tok = LlasaTokenizer.open(modelDir.resolve("tokenizer.json"));
                LlamaModel m = LlamaModel.load(modelDir, 1)) {
            int[] ids = LlasaPrompt.builder(tok).build().ids("hello", new int[] {3, 9, 27}, "world");
            float[][] logits = m.logitsAll(ids);
            float[] last = logits[logits.length - 1];
            var speech = tok.speechTokens();
            int best = -1;
            for (int id = speech.offset(); id < speech.offset() + speech.codebookSize(); id++) {
                if (best < 0 || last[id] > last[best]) best = id;
            }
            if (last[speech.endId()] > last[best]) best = speech.endId();
            int expected = best == speech.endId() ? -1 : best - speech.offset();
            if (expected >= 0) assertEquals(expected, first.get("codes").get(0).asInt());
            else assertEquals(0, first.get("codes").size());
        }
    }

    @Test
    void textModeNeedsAnOutputFile() {
        assertEquals(1, run("--model", modelDir.toString(), "--text", "hello"));
        assertEquals(1, run("--model", modelDir.toString(), "--text", "hello", "--prompt-text", "x", "--out",
                tmp.resolve("o.jsonl").toString()));
    }
}
