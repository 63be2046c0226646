package org.llasalab.eval.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;
import org.llasalab.eval.bench.Benchmark;
import org.llasalab.eval.bench.Benchmarks;
import org.llasalab.eval.score.EvalJob;
import org.llasalab.eval.score.ScoreTable;
import org.llasalab.eval.experiment.Experiment.VerifierSpec;
import org.llasalab.eval.score.VerifierFlags;

/**
 * Opens a generated {@code report.html} in headless Chromium and checks the rendered DOM: the
 * aggregate and utterance tables, one audio player per output and prompt whose source resolves to
 * the real file, and the histograms. Without Chromium the test fails when {@code CI} is set and is
 * skipped otherwise.
 */
class ReportInChromiumTest {
    @TempDir
    Path dir;

    private static Path chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(p, name);
                if (Files.isExecutable(candidate)) return candidate;
            }
        }
        return null;
    }

    private String dumpDom(Path browser, Path html) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        List<String> cmd = List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--dump-dom", html.toUri().toString());
        Path stdout = dir.resolve("dom.html");
        Path stderr = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 60 s: " + Files.readString(stderr));
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(stderr));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    @Test
    void reportRendersTablesPlayersAndCharts() throws Exception {
        Path browser = chromium();
        if (browser == null) {
            if (System.getenv("CI") != null) {
                fail("chromium is not installed but CI is set: install Debian's 'chromium' package");
            }
            String reason = "chromium not installed (apt-get install -y chromium); skipping the browser check";
            System.err.println("ReportInChromiumTest: " + reason); // surefire's summary shows only a count
            Assumptions.abort(reason);
        }
        Path bench = Files.createDirectories(dir.resolve("bench"));
        Path outputs = Files.createDirectories(dir.resolve("system A"));
        StringBuilder meta = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            float[] tone = new float[8_000];
            for (int t = 0; t < tone.length * (i + 1) / 5; t++) tone[t] = (float) (0.2 * Math.sin(t * 0.1));
            Wav.write(bench.resolve("p" + i + ".wav"), new Audio(tone, 16_000), false);
            Wav.write(outputs.resolve("u&" + i + ".wav"), new Audio(tone, 16_000), false);
            meta.append("u&").append(i).append("|prompt <").append(i).append(">|p").append(i).append(".wav|target <b>").append(i).append("</b>\n");
        }
        Files.writeString(bench.resolve("meta.lst"), meta);
        Benchmark b = Benchmarks.open(bench.resolve("meta.lst").toString());
        Path out = dir.resolve("report");
        ScoreTable table = EvalJob.run(new EvalJob.Request(b, outputs, VerifierFlags.parse(List.of("act=active-speech"), List.of()),
                out, false, 2, 200, 1L, false), List.of(), null);
        assertEquals(4, table.scored().size());

        String dom = dumpDom(browser, out.resolve("report.html"));
        assertEquals(4, count(dom, "<tr class=\"utterance\""), "one rendered row per utterance");
        assertTrue(count(dom, "<tr class=\"aggregate\"") >= 2, "aggregate rows (mean, variance)");
        assertTrue(dom.contains("<table id=\"utterances\"") && dom.contains("<table id=\"aggregates\""));
        assertEquals(1, count(dom, "<svg class=\"histogram\""), "one histogram per metric");
        assertTrue(dom.contains("target &lt;b&gt;0&lt;/b&gt;"), "text is escaped, not markup");
        assertEquals(0, count(dom, "<b>"), "no injected markup");
        List<String> sources = new ArrayList<>();
        Matcher m = Pattern.compile("<audio controls=\"\" preload=\"none\" src=\"([^\"]+)\"").matcher(dom);
        while (m.find()) sources.add(m.group(1));
        assertEquals(8, sources.size(), "a player for each output and each prompt: " + dom);
        for (String src : sources) {
            Path target = Path.of(out.toUri().resolve(src.replace("&amp;", "&")));
            assertTrue(Files.isRegularFile(target), "player source resolves to a file: " + src);
        }
        // Worst first: the least active output (u&0) heads the table.
        int first = dom.indexOf("<tr class=\"utterance\"");
        assertTrue(dom.startsWith("<tr class=\"utterance\" data-utt=\"u&amp;0\"", first), dom.substring(first, first + 80));
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
