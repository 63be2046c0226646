package org.llasalab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Wav;
import org.llasalab.lm.LlamaModel;
import org.llasalab.lm.SamplingParams;
import org.llasalab.lm.Generator;
import org.llasalab.lm.LogitMask;
import org.llasalab.lm.prompt.LlasaPrompt;
import org.llasalab.lm.prompt.LlasaTokenizer;
import org.llasalab.lm.prompt.PromptCodes;
import org.llasalab.lm.prompt.PromptTemplate;
import org.llasalab.lm.prompt.TextFrontEnds;
import org.llasalab.search.SpeechTokens;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llasa synth}: text (and optionally a voice prompt) to a 16 kHz WAV with a Llasa LM and a codec,
 * by plain sampling through the engine's {@link Generator} (speech tokens and the end marker only).
 * The prompt part of the audio is cut off.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Synthesise speech: Llasa LM (plain sampling) + speech codec -> WAV.")
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

    @Option(names = "--out", required = true, description = "Output WAV (16-bit PCM at the codec's rate).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be >= 1: " + maxTokens);
        model = org.llasalab.microworld.Catalogue.resolve(model.toString()); // a folder or a micro-world name
        SamplingParams sampling = new SamplingParams(temperature, 0, topP, 0, 1);
        PromptTemplate template = templateFile == null ? PromptTemplate.DEFAULT : readTemplate(templateFile);
        if (noSystemHeader) template = template.withSystemHeader(false);
        Path tokenizerFile = tokenizer != null ? tokenizer : model.resolve("tokenizer.json");
        try (LlasaTokenizer tok = LlasaTokenizer.open(tokenizerFile);
                SpeechCodec speechCodec = Codecs.open(codec)) {
            int[] promptCodes = promptCodes(speechCodec);
            if (promptCodes.length > 0 && (promptText == null || promptText.isBlank())) {
                throw new IllegalArgumentException("a voice prompt needs --prompt-text (its transcript)");
            }
            SpeechTokens speech = tok.speechTokens();
            int usable = Math.min(speech.codebookSize(), speechCodec.codebookSize());
            speech = new SpeechTokens(speech.offset(), usable, speech.endId());
            LlasaPrompt prompt = TextFrontEnds.promptFor(model, tok, template);
            int[] ids = promptCodes.length == 0 ? prompt.ids(text) : prompt.ids(promptText, promptCodes, text);
            long t0 = System.nanoTime();
            int[] generated;
            boolean finished;
            try (LlamaModel lm = LlamaModel.load(model)) {
                if (speech.offset() + usable > lm.vocabSize() || speech.endId() >= lm.vocabSize()) {
                    throw new IllegalArgumentException(model + ": LM vocabulary " + lm.vocabSize()
                            + " does not cover the tokenizer's speech tokens " + speech.offset() + ".."
                            + (speech.offset() + usable - 1) + " and end id " + speech.endId());
                }
                int endId = speech.endId();
                Generator.Generation g = Generator.generate(lm, ids, 1, sampling, LogitMask.speech(speech), maxTokens,
                        id -> id == endId, seed).get(0);
                finished = g.stopped();
                generated = finished ? Arrays.copyOf(g.ids(), g.ids().length - 1) : g.ids();
            }
            double lmSeconds = (System.nanoTime() - t0) / 1e9;
            int[] newCodes = new int[generated.length];
            for (int i = 0; i < generated.length; i++) newCodes[i] = generated[i] - speech.offset();
            int[] all = new int[promptCodes.length + newCodes.length];
            System.arraycopy(promptCodes, 0, all, 0, promptCodes.length);
            System.arraycopy(newCodes, 0, all, promptCodes.length, newCodes.length);
            long t1 = System.nanoTime();
            float[] audio = speechCodec.decode(all);
            double codecSeconds = (System.nanoTime() - t1) / 1e9;
            int cut = Math.min(audio.length, promptCodes.length * speechCodec.hopLength());
            float[] target = Arrays.copyOfRange(audio, cut, audio.length);
            Wav.write(out, new Audio(target, speechCodec.sampleRate()), false);
            System.out.printf("%s: %.2f s of speech, %d speech tokens (%s), prompt %d ids (%d voice-prompt codes); "
                    + "LM %.1f s, codec %.1f s%n", out, target.length / (double) speechCodec.sampleRate(), generated.length,
                    finished ? "ended by <|SPEECH_GENERATION_END|>" : "stopped at --max-tokens", ids.length,
                    promptCodes.length, lmSeconds, codecSeconds);
        }
        return 0;
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
            throw new IllegalArgumentException("codec " + speechCodec.name() + " cannot encode audio, so --prompt-wav "
                    + "cannot be used with it: encode the prompt with the reference Python codec and pass the codes "
                    + "with --prompt-codes (a JSON array or .npy of ints)");
        }
        Audio wav = Wav.read(voice.wav);
        if (wav.sampleRate() != speechCodec.sampleRate()) {
            wav = org.llasalab.dsp.Resampler.resample(wav, speechCodec.sampleRate());
        }
        return speechCodec.encode(wav.samples());
    }

    private static PromptTemplate readTemplate(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such prompt template file");
        try {
            String name = file.getFileName().toString();
            ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml")
                    ? new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()) : new ObjectMapper();
            return PromptTemplate.fromConfig(mapper.readTree(file.toFile()));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": malformed prompt template: " + e.getOriginalMessage(), e);
        }
    }
}
