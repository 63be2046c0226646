package org.llasalab.microworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.cli.Main;
import org.llasalab.io.LlamaConfig;
import picocli.CommandLine;

/**
 * Every micro-Llasa model the catalogue lists ({@code models/...}) loads and speaks through
 * {@code llasa generate}, carries the loss curve of the training that made it, and has a model card whose
 * numbers agree with its files: parameters, tokens seen, training FLOPs, wall time, held-out loss,
 * measured quality and the command that reproduces it.
 */
class ShippedModelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Path> models() {
        Map<String, Path> out = new java.util.TreeMap<>();
        Path dir = Catalogue.microworldDir().resolve("models");
        Catalogue.entries().forEach((name, folder) -> {
            if (folder.startsWith(dir)) out.put(name, folder);
        });
        return out;
    }

    @Test
    void everyShippedModelGeneratesSpeechCodes(@TempDir Path tmp) throws Exception {
        Map<String, Path> models = models();
        assertFalse(models.isEmpty(), "the catalogue lists no micro-Llasa model");
        for (var e : models.entrySet()) {
            Path out = tmp.resolve(e.getKey() + ".jsonl");
            CommandLine cli = Main.commandLine();
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(new StringWriter()));
            int rc = cli.execute("generate", "--model", e.getKey(), "--text", "the gods are just", "--n", "2",
                    "--seed", "1", "--max-new-tokens", "40", "--threads", "1", "--out", out.toString());
            assertEquals(0, rc, e.getKey() + ": " + err);
            List<String> lines = Files.readAllLines(out);
            assertEquals(2, lines.size(), e.getKey());
            int codebook = JSON.readTree(e.getValue().resolve("llasa_frontend.json").toFile()).get("codebook_size").asInt();
            for (String line : lines) {
                JsonNode candidate = JSON.readTree(line);
                assertTrue(candidate.get("codes").size() > 0, e.getKey() + " spoke nothing: " + line);
                for (JsonNode code : candidate.get("codes")) {
                    assertTrue(code.asInt() >= 0 && code.asInt() < codebook, e.getKey() + ": code " + code);
                }
            }
        }
    }

    @Test
    void modelCardsAgreeWithTheirFiles() throws Exception {
        for (var e : models().entrySet()) {
            Path dir = e.getValue();
            String card = Files.readString(dir.resolve("README.md"));
            long params = LlamaConfig.load(dir).parameterCount();
            assertTrue(card.contains(String.format(Locale.ROOT, "| parameters | %,d", params)),
                    e.getKey() + ": the card's parameter count is not " + params);
            for (String row : List.of("| tokens seen |", "| training FLOPs |", "| wall time |", "| held-out loss |",
                    "WER", "similarity", "./llasa train experiments/")) {
                assertTrue(card.contains(row), e.getKey() + ": the model card lacks " + row);
            }
            // the card's held-out loss is the last evaluation in the shipped loss curve
            List<String> curve = Files.readAllLines(dir.resolve("loss.csv"));
            assertEquals(org.llasalab.train.TrainingLog.CSV_HEADER, curve.getFirst(), e.getKey());
            String lastHeldout = null;
            String[] last = null;
            for (String line : curve.subList(1, curve.size())) {
                last = line.split(",", -1);
                if (!last[4].isEmpty()) lastHeldout = last[4];
            }
            Matcher m = Pattern.compile("\\| held-out loss \\| ([0-9.]+)").matcher(card);
            assertTrue(m.find(), e.getKey());
            assertEquals(Double.parseDouble(lastHeldout), Double.parseDouble(m.group(1)), 1e-4, e.getKey());
            // and its tokens seen are the curve's last row: all tokens, then the speech targets
            m = Pattern.compile("\\| tokens seen \\| ([0-9,]+) \\(speech targets ([0-9,]+)\\)").matcher(card);
            assertTrue(m.find(), e.getKey() + ": the card's tokens-seen row");
            assertEquals(last[1], m.group(1).replace(",", ""), e.getKey());
            assertEquals(last[6], m.group(2).replace(",", ""), e.getKey());
        }
    }
}
