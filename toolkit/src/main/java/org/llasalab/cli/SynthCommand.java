package org.llasalab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.PromptAudio;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;
import org.llasalab.lm.SamplingParams;
import org.llasalab.lm.prompt.LlasaPrompt;
import org.llasalab.lm.prompt.LlasaTokenizer;
import org.llasalab.lm.prompt.PromptCodes;
import org.llasalab.lm.prompt.PromptTemplate;
import org.llasalab.microworld.Catalogue;
import org.llasalab.search.Guides;
import org.llasalab.search.LlasaModels;
import org.llasalab.search.ScoredCandidate;
import org.llasalab.search.SearchModels;
import org.llasalab.search.SearchOutcome;
import org.llasalab.search.SearchRequest;
import org.llasalab.search.SearchStrategies;
import org.llasalab.search.SearchStrategy;
import org.llasalab.tensor.Quantization;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llasa synth}: text (and optionally a voice prompt) to a 16 kHz WAV with a Llasa LM and a codec
 * ({@link LlasaModels}, as a sweep opens them), by plain sampling through the {@code sample} search strategy
 * (speech tokens and the end marker only; what a sweep runs for {@code sample} at budget 1; with a codec that
 * holds all the tokenizer's speech tokens, a seed draws what {@code llasa generate --text} draws as its
 * candidate 0) or by any other strategy. The prompt part of
 * the audio is cut off.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Synthesise speech: Llasa LM + speech codec -> WAV.",
                "Plain sampling (the sample strategy) by default; --strategy runs a verifier-guided search "
                        + "(llasa search strategies lists them)."})
public final class SynthCommand implements CliCommand, Callable<Integer> {
    @Option(names = "--model", required = true, description = "Llasa model folder (config.json, safetensors, tokenizer.json).")
    Path model;

    @Option(names = "--codec", required = true, description = "Codec folder (config.json + weights) or short name.")
    String codec;

    @Option(names = "--text", required = true, description = "Text to speak.")
    String text;

    static final class VoicePrompt {
        @Option(names = "--prompt-wav", description = "Voice prompt audio (needs a codec that can encode).")
        Path wav;

        @Option(names = "--prompt-codes", description = "Voice prompt as codec codes: a JSON array or a .npy of ints.")
        Path codes;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    VoicePrompt voice;

    @Option(names = "--prompt-text", description = "Transcript of the voice prompt (required with a voice prompt).")
    String promptText;

    @Option(names = "--tokenizer", description = "tokenizer.json to use (default: the one in --model).")
    Path tokenizer;

    @Option(names = "--prompt-template", description = "JSON or YAML file with the prompt template: template ({system}, {text}, {speech} "
            + "placeholders), system_header, system_message.")
    Path templateFile;

    @Option(names = "--no-system-header", description = "Do not emit the Llama-3.2 default system turn.")
    boolean noSystemHeader;

    @Option(names = "--seed", description = "Sampling seed (default ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Option(names = "--temperature", description = "Sampling temperature, 0 = greedy (default ${DEFAULT-VALUE}).", defaultValue = "0.8")
    double temperature;

    @Option(names = "--top-p", description = "Nucleus sampling mass (default ${DEFAULT-VALUE}).", defaultValue = "1.0")
    double topP;

    @Option(names = "--max-tokens", description = "Most speech tokens to generate (default ${DEFAULT-VALUE}: 30 s at 50 Hz).",
            defaultValue = "1500")
    int maxTokens;

    @Option(names = "--strategy", paramLabel = "TYPE", description = "Search strategy (sample, greedy, best_of_n, beam, dvts, "
            + "partial_prm_orm); default: sample, one sampled candidate.")
    String strategyType;

    @Option(names = "--strategy-param", paramLabel = "KEY=VALUE", description = "A strategy parameter (YAML value), e.g. n=8, beam_width=4.")
    Map<String, String> strategyParams = new LinkedHashMap<>();

    @Option(names = "--verifier", paramLabel = "TYPE", description = "Guiding verifier type (repeat: the first guides steps, the last picks), "
            + "e.g. micro-speaker, micro-asr.")
    List<String> verifierTypes = new ArrayList<>();

    @Option(names = "--verifier-param", paramLabel = "TYPE.KEY=VALUE", description = "A verifier parameter, e.g. wer.model=ggml-large-v3.bin.")
    Map<String, String> verifierParams = new LinkedHashMap<>();

    @Option(names = "--quantize", defaultValue = "none", paramLabel = "FORMAT",
            description = "Convert the LM weights when loading: none or q8 (int8, a scale per 32 weights) (default: ${DEFAULT-VALUE}).")
    String quantize;

    @Option(names = "--out", required = true, description = "Output WAV (16-bit PCM at the codec's rate).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be >= 1: " + maxTokens);
        if (strategyType == null && (!verifierTypes.isEmpty() || !strategyParams.isEmpty())) {
            throw new IllegalArgumentException("--verifier and --strategy-param go with --strategy");
        }
        model = Catalogue.resolve(model.toString()); // a folder or a micro-world name
        PromptTemplate template = templateFile == null ? PromptTemplate.DEFAULT : readTemplate(templateFile);
        if (noSystemHeader) template = template.withSystemHeader(false);
        SearchStrategy strategy = strategy();
        LlasaModels.Spec spec = new LlasaModels.Spec(model, tokenizer, Codecs.folder(codec, Catalogue::lookup),
                Quantization.parse(quantize), template, null);
        try (LlasaModels models = LlasaModels.open(spec)) {
            SpeechCodec speechCodec = models.codec();
            int[] promptCodes = promptCodes(speechCodec);
            if (promptCodes.length > 0 && (promptText == null || promptText.isBlank())) {
                throw new IllegalArgumentException("a voice prompt needs --prompt-text (its transcript)");
            }
            LlasaPrompt prompt = models.prompt();
            int[] ids = promptCodes.length == 0 ? prompt.ids(text) : prompt.ids(promptText, promptCodes, text);
            searchAndWrite(strategy, models, ids, promptCodes);
        }
        return 0;
    }

    /**
     * The strategy {@code --strategy} names with its {@code --strategy-param}s, or {@code sample} (what a sweep
     * runs for strategy {@code sample} at budget 1); {@code max_tokens} from {@code --max-tokens} unless given.
     */
    private SearchStrategy strategy() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : strategyParams.entrySet()) {
            params.put(e.getKey(), yaml.readValue(e.getValue(), Object.class));
        }
        params.putIfAbsent("max_tokens", maxTokens);
        return SearchStrategies.create(strategyType == null ? "sample" : strategyType, params,
                new SamplingParams(temperature, 0, topP, 0, 1));
    }

    private int[] promptCodes(SpeechCodec speechCodec) throws IOException {
        if (voice == null) return new int[0];
        if (voice.codes != null) {
            int[] codes = PromptCodes.read(voice.codes);
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] < 0 || codes[i] >= speechCodec.codebookSize()) {
                    throw new IllegalArgumentException(voice.codes + ": code " + codes[i] + " at position " + i
                            + " is outside the codec's 0.." + (speechCodec.codebookSize() - 1));
                }
            }
            return codes;
        }
        if (!speechCodec.canEncode()) {
            String why;
            try {
                speechCodec.encode(new float[0]);
                why = "it has no encoder";
            } catch (UnsupportedOperationException e) {
                why = e.getMessage();
            }
            throw new IllegalArgumentException("codec " + speechCodec.name() + " cannot encode audio, so --prompt-wav "
                    + "cannot be used with it (" + why + "); pass the prompt's codes with --prompt-codes (a JSON array or "
                    + ".npy of ints)");
        }
        return speechCodec.encode(PromptAudio.read(voice.wav, speechCodec.sampleRate()));
    }

    private static PromptTemplate readTemplate(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such prompt template file");
        try {
            return PromptTemplate.read(file);
        } catch (org.llasalab.io.yaml.YamlException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Searches the one utterance and writes the chosen candidate's speech. Plain sampling (no {@code --strategy})
     * with a voice prompt decodes the generated codes after the prompt's codes, so that the codec continues the
     * prompt as in Llasa's reference, and cuts the prompt's part; a search writes the audio its verifiers judged.
     */
    private void searchAndWrite(SearchStrategy strategy, LlasaModels models, int[] ids, int[] promptCodes)
            throws Exception {
        SpeechCodec speechCodec = models.codec();
        ObjectMapper yaml = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        Map<String, Map<String, Object>> byType = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : verifierParams.entrySet()) {
            int dot = e.getKey().indexOf('.');
            if (dot <= 0 || !verifierTypes.contains(e.getKey().substring(0, dot))) {
                throw new IllegalArgumentException("--verifier-param " + e.getKey() + ": give TYPE.KEY=VALUE with TYPE one of "
                        + verifierTypes);
            }
            byType.computeIfAbsent(e.getKey().substring(0, dot), t -> new LinkedHashMap<>())
                    .put(e.getKey().substring(dot + 1), yaml.readValue(e.getValue(), Object.class));
        }
        List<Verifier> verifiers = new ArrayList<>();
        try {
            for (String type : verifierTypes) {
                verifiers.add(Verifiers.create(type, byType.getOrDefault(type, Map.of()), Path.of("")));
            }
            // What the verifiers judge against: the text, and the voice prompt as audio (SIM-r when it
            // came as codes: the codec's resynthesis of them).
            float[] promptAudio = null;
            if (promptCodes.length > 0 && !verifiers.isEmpty()) {
                Audio decoded = new Audio(speechCodec.decode(promptCodes), speechCodec.sampleRate());
                promptAudio = org.llasalab.dsp.Resampler.resample(decoded, Candidate.SAMPLE_RATE).samples();
            }
            Candidate context = new Candidate(null, text, promptAudio, promptCodes.length > 0 ? promptText : null, null);
            Guides guides = verifiers.isEmpty() ? Guides.none() : Guides.of(verifiers.getFirst(), verifiers.getLast());
            long t0 = System.nanoTime();
            SearchModels search = models.search(models.prompts(request -> promptCodes));
            SearchOutcome outcome = strategy.search(List.of(new SearchRequest("synth", ids, context, 0, seed)), search, guides)
                    .getFirst();
            ScoredCandidate chosen = outcome.chosen();
            float[] audio = strategyType == null && promptCodes.length > 0
                    ? afterPrompt(speechCodec, promptCodes, chosen.codes()) : chosen.audio();
            Wav.write(out, new Audio(audio, speechCodec.sampleRate()), false);
            System.out.printf("%s: %.2f s of speech, %d speech tokens (%s), prompt %d ids (%d voice-prompt codes), "
                    + "chosen among %d candidates by %s; %s; %.1f s%n",
                    out, audio.length / (double) speechCodec.sampleRate(), chosen.codes().length,
                    chosen.finished() ? "ended by " + LlasaTokenizer.SPEECH_END : "stopped at max_tokens", ids.length,
                    promptCodes.length, outcome.candidates().size(), strategy.type(),
                    chosen.scores().isEmpty() ? "no verifier scores" : "scores " + chosen.scores().entrySet().stream()
                            .map(e -> e.getKey() + "=" + String.format(java.util.Locale.ROOT, "%.4f", e.getValue().value()))
                            .toList(),
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            for (Verifier v : verifiers) v.close();
        }
    }

    /** The audio of {@code codes} decoded after {@code promptCodes} (the codec's left context), the prompt's part cut. */
    private static float[] afterPrompt(SpeechCodec speechCodec, int[] promptCodes, int[] codes) {
        int[] all = new int[promptCodes.length + codes.length];
        System.arraycopy(promptCodes, 0, all, 0, promptCodes.length);
        System.arraycopy(codes, 0, all, promptCodes.length, codes.length);
        float[] audio = speechCodec.decode(all);
        int cut = Math.min(audio.length, promptCodes.length * speechCodec.hopLength());
        return Arrays.copyOfRange(audio, cut, audio.length);
    }
}
