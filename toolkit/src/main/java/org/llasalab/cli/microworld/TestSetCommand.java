package org.llasalab.cli.microworld;

import org.llasalab.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Resampler;
import org.llasalab.dsp.Wav;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.llasalab.microworld.Catalogue;
import org.llasalab.microworld.CorpusManifest;
import org.llasalab.microworld.Voices;

/**
 * {@code llasa microworld testset}: the micro world's zero-shot TTS benchmark in the seed-tts-eval
 * {@code meta.lst} format ({@code utt|prompt_text|prompt_wav|target_text}, WAV paths relative to the
 * list), built from the corpus's test split: short prompt utterances covering every speaker x style,
 * each paired with different held-out target sentences; plus {@code items.tsv} with the speaker,
 * style and emotion of each item.
 */
@Command(name = "testset", mixinStandardHelpOptions = true,
        description = "Build the micro-world test set (meta.lst + items.tsv + prompt WAVs) from the corpus's test split.")
public final class TestSetCommand implements CliCommand, Callable<Integer> {
    @Option(names = "--corpus", defaultValue = "/work/data/microworld/corpus", description = "Corpus folder (default ${DEFAULT-VALUE}).")
    Path corpus;

    @Option(names = "--out", description = "Output folder (default: toolkit/microworld/testset).")
    Path out;

    @Option(names = "--items", defaultValue = "300", description = "Items (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--prompts", defaultValue = "100", description = "Distinct prompt utterances (default ${DEFAULT-VALUE}).")
    int prompts;

    @Option(names = "--max-prompt-seconds", defaultValue = "1.4", description = "Longest prompt (default ${DEFAULT-VALUE}).")
    double maxPromptSeconds;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public String group() {
        return "microworld";
    }

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : Catalogue.microworldDir().resolve("testset");
        CorpusManifest manifest = CorpusManifest.read(corpus);
        List<CorpusManifest.Entry> test = manifest.split("test");
        Random rnd = new Random(seed);
        // Prompt candidates per speaker x style, short ones only.
        Map<String, List<CorpusManifest.Entry>> byVoice = new LinkedHashMap<>();
        for (Voices.Speaker sp : Voices.SPEAKERS) {
            for (Voices.Style st : Voices.STYLES) byVoice.put(sp.id() + "/" + st.id(), new ArrayList<>());
        }
        for (CorpusManifest.Entry e : test) {
            if (e.duration() >= 0.7 && e.duration() <= maxPromptSeconds) {
                List<CorpusManifest.Entry> list = byVoice.get(e.speaker() + "/" + e.style());
                if (list != null) list.add(e);
            }
        }
        List<String> voices = new ArrayList<>(byVoice.keySet());
        Collections.shuffle(voices, rnd);
        for (List<CorpusManifest.Entry> list : byVoice.values()) Collections.shuffle(list, rnd);
        List<CorpusManifest.Entry> chosen = new ArrayList<>();
        Set<String> promptTexts = new HashSet<>();
        for (int round = 0; chosen.size() < prompts && round < 50; round++) {
            for (String v : voices) {
                if (chosen.size() >= prompts) break;
                for (CorpusManifest.Entry e : byVoice.get(v)) {
                    if (!chosen.contains(e) && promptTexts.add(e.text())) {
                        chosen.add(e);
                        break;
                    }
                }
            }
        }
        if (chosen.size() < prompts) {
            throw new IllegalStateException("only " + chosen.size() + " prompt candidates of <= " + maxPromptSeconds
                    + " s in the test split of " + corpus);
        }
        // Targets: distinct held-out sentences that are never a prompt text.
        List<String> targets = new ArrayList<>(new java.util.TreeSet<>(test.stream().map(CorpusManifest.Entry::text)
                .filter(t -> !promptTexts.contains(t) && t.split(" ").length >= 4).toList()));
        Collections.shuffle(targets, rnd);
        if (targets.size() < items) throw new IllegalStateException("only " + targets.size() + " target sentences for " + items + " items");
        Path wavs = dir.resolve("wavs");
        if (Files.isDirectory(wavs)) {
            try (var old = Files.list(wavs)) {
                for (Path p : old.toList()) Files.delete(p);
            }
        }
        Files.createDirectories(wavs);
        chosen.sort(Comparator.comparing(CorpusManifest.Entry::id));
        long bytes = 0;
        for (CorpusManifest.Entry e : chosen) {
            Audio a = Resampler.resample(manifest.audio(e), 16000);
            Path f = wavs.resolve(e.id() + ".wav");
            Wav.write(f, a, false);
            bytes += Files.size(f);
        }
        StringBuilder meta = new StringBuilder();
        StringBuilder tsv = new StringBuilder("utt\tspeaker\taccent\tgender\tstyle\temotion\tprompt_id\tprompt_seconds\ttarget_text\n");
        for (int i = 0; i < items; i++) {
            CorpusManifest.Entry p = chosen.get(i % chosen.size());
            String utt = String.format("mwt%04d", i);
            String target = targets.get(i);
            meta.append(utt).append('|').append(p.text()).append('|').append("wavs/").append(p.id()).append(".wav|")
                    .append(target).append('\n');
            Voices.Speaker sp = Voices.speaker(p.speaker()).orElseThrow();
            tsv.append(utt).append('\t').append(p.speaker()).append('\t').append(sp.accent()).append('\t').append(sp.gender())
                    .append('\t').append(p.style()).append('\t').append(p.emotion()).append('\t').append(p.id()).append('\t')
                    .append(p.duration()).append('\t').append(target).append('\n');
        }
        AtomicFiles.write(dir.resolve("meta.lst"), meta.toString());
        AtomicFiles.write(dir.resolve("items.tsv"), tsv.toString());
        System.out.printf("test set: %d items, %d prompts (%.1f MB of WAV), %d speaker x style pairs -> %s%n", items, chosen.size(),
                bytes / 1e6, chosen.stream().map(e -> e.speaker() + "/" + e.style()).distinct().count(), dir);
        return 0;
    }
}
