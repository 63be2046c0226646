package org.llasalab.cli.lm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.lm.Generator;
import org.llasalab.lm.LlamaModel;
import org.llasalab.lm.LogitMask;
import org.llasalab.lm.SamplingParams;
import org.llasalab.lm.prompt.LlasaPrompt;
import org.llasalab.lm.prompt.LlasaTokenizer;
import org.llasalab.lm.prompt.PromptCodes;
import org.llasalab.lm.prompt.TextFrontEnds;
import org.llasalab.lm.SpeechTokens;
import org.llasalab.search.LlasaModels;
import picocli.CommandLine.Command;
import org.llasalab.tensor.Quantization;
import picocli.CommandLine.Option;

/**
 * {@code llasa generate}: two modes.
 * <ul>
 *   <li>raw ids ({@code --input-ids}): continues the prompt and prints {@code {"ids": [...]}};</li>
 *   <li>text ({@code --text}, optionally a voice prompt {@code --prompt-text} + {@code --prompt-codes}):
 *   builds the Llasa prompt with the model's tokenizer and text front end, samples {@code --n} candidates
 *   from one prefill with only speech tokens and the end marker allowed, and writes their speech codes
 *   to {@code --out} as JSON lines (one candidate a line, with its token count and mean log-probability).</li>
 * </ul>
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate continuations of a prompt of raw token ids, or speech codes for a text.",
                "Prints {\"ids\": [...]} (generated ids only, the end id included when reached);",
                "with --n > 1, {\"ids\": [[...], ...]}, one list per candidate."})
public class GenerateCommand implements Callable<Integer>, CliCommand {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder (config.json + safetensors) or a micro-world name (micro-s, ...).")
    protected Path model;

    @Option(names = "--input-ids", split = ",", paramLabel = "ID", description = "Prompt as comma-separated token ids.")
    protected List<Integer> inputIds;

    @Option(names = "--text", paramLabel = "TEXT", description = "Text to speak (Llasa prompt through the model's tokenizer); needs --out.")
    String text;

    @Option(names = "--prompt-text", paramLabel = "TEXT", description = "Transcript of the voice prompt (with --prompt-codes).")
    String promptText;

    @Option(names = "--prompt-codes", paramLabel = "FILE", description = "Voice prompt as codec codes: a JSON array or a .npy of ints.")
    Path promptCodes;

    @Option(names = "--out", paramLabel = "FILE", description = "With --text: JSON-lines file of the candidates' speech codes.")
    Path out;

    @Option(names = "--greedy", description = "Greedy decoding (temperature 0).")
    boolean greedy;

    @Option(names = "--max-new-tokens", defaultValue = "256", paramLabel = "N", description = "Maximum new tokens (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--n", defaultValue = "1", paramLabel = "N", description = "Number of candidates sampled from one prefill (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--temperature", defaultValue = "0.8", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely ids; 0 disables (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--min-p", defaultValue = "0.0", description = "Drop ids below min-p x the top probability (default: ${DEFAULT-VALUE}).")
    double minP;

    @Option(names = "--repetition-penalty", defaultValue = "1.0", description = "HF repetition penalty (default: ${DEFAULT-VALUE}).")
    double repetitionPenalty;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--quantize", defaultValue = "none", paramLabel = "FORMAT",
            description = "Convert the weights when loading: none or q8 (int8, a scale per 32 weights) (default: ${DEFAULT-VALUE}).")
    String quantize;

    /** The prompt's token ids; subclasses may add other sources (e.g. text through a tokenizer). */
    protected int[] promptIds(LlamaModel m) {
        if (inputIds == null || inputIds.isEmpty()) throw new IllegalArgumentException("give the prompt with --input-ids");
        int[] ids = inputIds.stream().mapToInt(Integer::intValue).toArray();
        for (int id : ids) {
            if (id < 0 || id >= m.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + m.vocabSize() + ") of " + model);
            }
        }
        return ids;
    }

    @Override
    public Integer call() throws Exception {
        if (n < 1) throw new IllegalArgumentException("--n must be >= 1");
        model = org.llasalab.microworld.Catalogue.resolve(model.toString()); // a folder or a micro-world name
        if (text != null) return speechCodes(sampling());
        if (out != null || promptCodes != null || promptText != null) {
            throw new IllegalArgumentException("--out, --prompt-text and --prompt-codes go with --text");
        }
        SamplingParams params = sampling();
        try (LlamaModel m = LlamaModel.load(model, threads == null ? Runtime.getRuntime().availableProcessors() : threads,
                Quantization.parse(quantize))) {
            int[] prompt = promptIds(m);
            var config = m.config();
            List<Generator.Generation> gens = Generator.generate(m, prompt, n, params, null, maxNewTokens, config::isEos, seed);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ids", n == 1 ? gens.getFirst().ids() : gens.stream().map(Generator.Generation::ids).toList());
            System.out.println(new ObjectMapper().writeValueAsString(out));
        }
        return 0;
    }

    private SamplingParams sampling() {
        if (greedy) return new SamplingParams(0, 0, 1.0, 0, repetitionPenalty);
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty);
    }

    /** Text mode: N candidates' speech codes as JSON lines in {@code --out}. */
    private int speechCodes(SamplingParams params) throws Exception {
        if (inputIds != null) throw new IllegalArgumentException("give either --input-ids or --text, not both");
        if (out == null) throw new IllegalArgumentException("--text needs --out FILE (JSON lines of speech codes)");
        if ((promptCodes == null) != (promptText == null)) {
            throw new IllegalArgumentException("a voice prompt needs both --prompt-text and --prompt-codes");
        }
        int[] voice = promptCodes == null ? new int[0] : PromptCodes.read(promptCodes);
        try (LlasaTokenizer tokenizer = LlasaTokenizer.open(model.resolve("tokenizer.json"));
                LlamaModel m = LlamaModel.load(model, threads == null ? Runtime.getRuntime().availableProcessors() : threads,
                Quantization.parse(quantize))) {
            SpeechTokens speech = tokenizer.speechTokens();
            for (int i = 0; i < voice.length; i++) {
                if (voice[i] < 0 || voice[i] >= speech.codebookSize()) {
                    throw new IllegalArgumentException(promptCodes + ": code " + voice[i] + " at position " + i
                            + " is outside the model's 0.." + (speech.codebookSize() - 1));
                }
            }
            speech = LlasaModels.speechTokens(model, tokenizer, m, Integer.MAX_VALUE); // no codec: all of them
            LlasaPrompt prompt = TextFrontEnds.promptFor(model, tokenizer, null);
            int[] ids = voice.length == 0 ? prompt.ids(text) : prompt.ids(promptText, voice, text);
            int endId = speech.endId();
            List<Generator.Generation> gens = Generator.generate(m, ids, n, params, LogitMask.speech(speech),
                    maxNewTokens, id -> id == endId, seed);
            ObjectMapper json = new ObjectMapper();
            StringBuilder lines = new StringBuilder();
            for (int c = 0; c < gens.size(); c++) {
                Generator.Generation g = gens.get(c);
                int[] gen = g.ids();
                int speechCount = g.stopped() ? gen.length - 1 : gen.length;
                int[] codes = new int[speechCount];
                for (int i = 0; i < speechCount; i++) codes[i] = gen[i] - speech.offset();
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("candidate", c);
                line.put("seed", seed);
                line.put("tokens", gen.length);
                line.put("finished", g.stopped());
                line.put("mean_logprob", g.meanLogProb());
                line.put("codes", codes);
                lines.append(json.writeValueAsString(line)).append('\n');
            }
            org.llasalab.io.AtomicFiles.write(out, lines.toString());
            System.out.printf("%s: %d candidate(s), prompt %d ids, %d voice-prompt codes%n", out, gens.size(), ids.length,
                    voice.length);
        }
        return 0;
    }
}
