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
import org.llasalab.lm.SamplingParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llasa generate}: continues a prompt of raw ids and prints the generated ids as JSON.
 * The prompt comes from {@link #promptIds}; other prompt sources (e.g. {@code --text} through a
 * tokenizer) can be added there.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate continuations of a prompt of raw token ids.",
                "Prints {\"ids\": [...]} (generated ids only, the end id included when reached);",
                "with --n > 1, {\"ids\": [[...], ...]}, one list per candidate."})
public class GenerateCommand implements Callable<Integer>, CliCommand {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder (config.json + safetensors).")
    protected Path model;

    @Option(names = "--input-ids", split = ",", paramLabel = "ID", description = "Prompt as comma-separated token ids.")
    protected List<Integer> inputIds;

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
        SamplingParams params = greedy ? SamplingParams.GREEDY
                : new SamplingParams(temperature, topK, topP, minP, repetitionPenalty);
        if (greedy && repetitionPenalty != 1.0) params = new SamplingParams(0, 0, 1.0, 0, repetitionPenalty);
        try (LlamaModel m = LlamaModel.load(model, threads == null ? Runtime.getRuntime().availableProcessors() : threads)) {
            int[] prompt = promptIds(m);
            var config = m.config();
            List<Generator.Generation> gens = Generator.generate(m, prompt, n, params, null, maxNewTokens, config::isEos, seed);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ids", n == 1 ? gens.getFirst().ids() : gens.stream().map(Generator.Generation::ids).toList());
            System.out.println(new ObjectMapper().writeValueAsString(out));
        }
        return 0;
    }
}
