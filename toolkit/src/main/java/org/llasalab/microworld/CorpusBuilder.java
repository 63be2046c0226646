package org.llasalab.microworld;

import org.llasalab.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Consumer;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Resampler;
import org.llasalab.dsp.Wav;

/**
 * Builds the micro world's speech corpus: plans utterances (sentence x speaker x style, epochs over
 * the shuffled sentence pool), synthesises them in batches of one speaker and style through one
 * espeak-ng process per batch (sentences separated by long SSML breaks, then split at the silences),
 * resamples to 16 kHz and writes 16-bit WAVs plus a JSON-lines manifest. Deterministic for the seed:
 * the corpus is the shortest prefix of the planned batches that reaches the requested hours.
 *
 * <p>Layout of the output folder:
 * <pre>
 *   manifest.jsonl   one JSON object per utterance: id, text, phonemes (space-separated symbols),
 *                    speaker, style, emotion, duration (s), split (train|dev|test), wav (relative path)
 *   wavs/SPEAKER/ID.wav   16 kHz mono 16-bit PCM
 *   lexicon.tsv, phonemes.txt   the text front end used for the phonemes column
 *   corpus.json      summary: seed, hours, counts per split/speaker/style, speakers and styles
 * </pre>
 */
public final class CorpusBuilder {
    public static final int SAMPLE_RATE = 16000;
    static final int BATCH = 48;
    static final int BREAK_MS = 2000;
    static final double MIN_GAP_SECONDS = 1.0;
    static final int SILENCE_LEVEL = 16;          // |sample| <= this (of 32768) counts as silence
    static final double PAD_SECONDS = 0.05;

    /** One planned utterance. */
    public record Utterance(String id, SentencePool.Sentence sentence, Voices.Speaker speaker, Voices.Style style) {}

    record Batch(int index, Voices.Speaker speaker, Voices.Style style, List<Utterance> utterances) {}

    record Done(Utterance utterance, double seconds, String wav) {}

    private final SentencePool pool;
    private final MicroTextFrontEnd frontEnd;
    private final Path out;
    private final long seed;
    private final Consumer<String> log;

    public CorpusBuilder(SentencePool pool, MicroTextFrontEnd frontEnd, Path out, long seed, Consumer<String> log) {
        this.pool = pool;
        this.frontEnd = frontEnd;
        this.out = out;
        this.seed = seed;
        this.log = log;
    }

    /** Plans batches until their estimated duration reaches {@code hours} times a safety margin. */
    List<Batch> plan(double hours) {
        Random rnd = new Random(seed);
        List<Batch> batches = new ArrayList<>();
        double estimated = 0;
        int next = 0;
        List<SentencePool.Sentence> sentences = new ArrayList<>(pool.sentences());
        while (estimated < hours * 3600 * 1.6 + 600) {
            Collections.shuffle(sentences, rnd);
            Map<String, List<SentencePool.Sentence>> buckets = new LinkedHashMap<>();
            for (SentencePool.Sentence s : sentences) {
                Voices.Speaker sp = Voices.SPEAKERS.get(rnd.nextInt(Voices.SPEAKERS.size()));
                Voices.Style st = Voices.STYLES.get(rnd.nextInt(Voices.STYLES.size()));
                buckets.computeIfAbsent(sp.id() + "/" + st.id(), k -> new ArrayList<>()).add(s);
            }
            List<Batch> epoch = new ArrayList<>();
            for (var e : buckets.entrySet()) {
                String[] key = e.getKey().split("/");
                Voices.Speaker sp = Voices.speaker(key[0]).orElseThrow();
                Voices.Style st = Voices.style(key[1]).orElseThrow();
                List<SentencePool.Sentence> list = e.getValue();
                for (int i = 0; i < list.size(); i += BATCH) {
                    epoch.add(new Batch(-1, sp, st, new ArrayList<>(list.subList(i, Math.min(list.size(), i + BATCH))).stream()
                            .map(s -> new Utterance(null, s, sp, st)).toList()));
                }
            }
            Collections.shuffle(epoch, rnd);
            for (Batch b : epoch) {
                List<Utterance> us = new ArrayList<>();
                for (Utterance u : b.utterances()) {
                    us.add(new Utterance(String.format("mw%06d", next++), u.sentence(), u.speaker(), u.style()));
                    estimated += 0.25 * u.sentence().words().size() + 0.2;   // under-estimates on purpose
                }
                batches.add(new Batch(batches.size(), b.speaker(), b.style(), us));
            }
        }
        return batches;
    }

    /** Synthesises the corpus; returns the manifest entries written. */
    public List<Done> build(double hours, int threads) throws IOException, InterruptedException {
        Files.createDirectories(out.resolve("wavs"));
        Path tmp = Files.createDirectories(out.resolve("tmp"));
        List<Batch> plan = plan(hours);
        log.accept("planned " + plan.size() + " batches; synthesising " + hours + " h with " + threads + " threads");
        AtomicInteger nextBatch = new AtomicInteger();
        DoubleAdder total = new DoubleAdder();
        Map<Integer, List<Done>> done = new ConcurrentHashMap<>();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread worker = Thread.ofPlatform().name("corpus-" + t).start(() -> {
                try {
                    while (failures.isEmpty() && total.sum() < hours * 3600) {
                        int i = nextBatch.getAndIncrement();
                        if (i >= plan.size()) break;
                        List<Done> result = synthesise(plan.get(i), tmp);
                        done.put(i, result);
                        double secs = result.stream().mapToDouble(Done::seconds).sum();
                        total.add(secs);
                        if (i % 50 == 0) {
                            double el = (System.nanoTime() - start) / 1e9;
                            log.accept(String.format("batch %d: %.2f h of speech in %.0f s (%.0fx real time)",
                                    i, total.sum() / 3600, el, total.sum() / el));
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            workers.add(worker);
        }
        for (Thread w : workers) w.join();
        if (!failures.isEmpty()) {
            Throwable f = failures.get(0);
            throw new IOException("corpus synthesis failed: " + f.getMessage(), f);
        }
        // Workers take batches in plan order, so the finished ones form a prefix of the plan. Keep the
        // shortest prefix that reaches the target; delete what lies beyond.
        List<Done> kept = new ArrayList<>();
        double sum = 0;
        for (int i = 0; done.containsKey(i); i++) {
            boolean keep = sum < hours * 3600;
            for (Done d : done.get(i)) {
                if (keep) {
                    kept.add(d);
                    sum += d.seconds();
                } else {
                    Files.deleteIfExists(out.resolve(d.wav()));
                }
            }
        }
        if (sum < hours * 3600) {
            throw new IOException(String.format("the plan ran out after %.2f h of the %.2f h asked for", sum / 3600, hours));
        }
        kept.sort(Comparator.comparing(d -> d.utterance().id()));
        writeManifest(kept, hours);
        try (var files = Files.list(tmp)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(tmp);
        log.accept(String.format("corpus: %d utterances, %.2f h, in %.0f s", kept.size(), sum / 3600,
                (System.nanoTime() - start) / 1e9));
        return kept;
    }

    private List<Done> synthesise(Batch batch, Path tmp) throws IOException, InterruptedException {
        List<String> texts = batch.utterances().stream().map(u -> u.sentence().text()).toList();
        List<float[]> pieces = Synth.espeakBatch(batch.speaker(), batch.style(), texts, tmp);
        if (pieces == null) {
            pieces = new ArrayList<>();
            for (String text : texts) {
                List<float[]> one = Synth.espeakBatch(batch.speaker(), batch.style(), List.of(text), tmp);
                if (one == null) throw new IOException("espeak-ng output for '" + text + "' could not be trimmed");
                pieces.add(one.get(0));
            }
        }
        List<Done> result = new ArrayList<>();
        Resampler resampler = Resampler.of(Synth.ESPEAK_RATE, SAMPLE_RATE);
        for (int i = 0; i < pieces.size(); i++) {
            Utterance u = batch.utterances().get(i);
            float[] audio = resampler.process(pieces.get(i));
            String rel = "wavs/" + u.speaker().id() + "/" + u.id() + ".wav";
            Wav.write(out.resolve(rel), new Audio(audio, SAMPLE_RATE), false);
            result.add(new Done(u, audio.length / (double) SAMPLE_RATE, rel));
        }
        return result;
    }

    private void writeManifest(List<Done> kept, double hours) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder sb = new StringBuilder();
        Map<String, Integer> perSplit = new java.util.TreeMap<>();
        Map<String, Double> hoursPerSplit = new java.util.TreeMap<>();
        Map<String, Integer> perSpeaker = new java.util.TreeMap<>();
        Map<String, Integer> perStyle = new java.util.TreeMap<>();
        for (Done d : kept) {
            Utterance u = d.utterance();
            ObjectNode o = json.createObjectNode();
            o.put("id", u.id());
            o.put("text", u.sentence().text());
            o.put("phonemes", String.join(" ", frontEnd.phonemes(u.sentence().text())));
            o.put("speaker", u.speaker().id());
            o.put("style", u.style().id());
            o.put("emotion", u.style().emotion());
            o.put("duration", Math.round(d.seconds() * 1000) / 1000.0);
            o.put("split", u.sentence().split());
            o.put("wav", d.wav());
            sb.append(json.writeValueAsString(o)).append('\n');
            perSplit.merge(u.sentence().split(), 1, Integer::sum);
            hoursPerSplit.merge(u.sentence().split(), d.seconds() / 3600, Double::sum);
            perSpeaker.merge(u.speaker().id(), 1, Integer::sum);
            perStyle.merge(u.style().id(), 1, Integer::sum);
        }
        AtomicFiles.write(out.resolve("manifest.jsonl"), sb.toString());
        frontEnd.write(out);
        ObjectNode summary = json.createObjectNode();
        summary.put("seed", seed);
        summary.put("requested_hours", hours);
        summary.put("hours", kept.stream().mapToDouble(Done::seconds).sum() / 3600);
        summary.put("utterances", kept.size());
        summary.put("sample_rate", SAMPLE_RATE);
        summary.set("utterances_per_split", json.valueToTree(perSplit));
        summary.set("hours_per_split", json.valueToTree(hoursPerSplit));
        summary.set("utterances_per_speaker", json.valueToTree(perSpeaker));
        summary.set("utterances_per_style", json.valueToTree(perStyle));
        summary.set("speakers", json.valueToTree(Voices.SPEAKERS));
        summary.set("styles", json.valueToTree(Voices.STYLES));
        summary.put("sentences", pool.sentences().size());
        summary.put("vocabulary", pool.vocabulary().size());
        AtomicFiles.write(out.resolve("corpus.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");
    }
}
