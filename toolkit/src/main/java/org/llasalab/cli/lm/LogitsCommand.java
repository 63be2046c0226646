package org.llasalab.cli.lm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llasalab.cli.CliCommand;
import org.llasalab.lm.LlamaModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code llasa logits}: next-token logits at every position of raw ids, as JSON. */
@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "Print the logits at every position of a sequence of raw token ids: {\"logits\": [[...], ...]}.")
public final class LogitsCommand implements Callable<Integer>, CliCommand {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder (config.json + safetensors).")
    Path model;

    @Option(names = "--ids", required = true, split = ",", paramLabel = "ID", description = "Comma-separated token ids.")
    List<Integer> ids;

    @Option(names = "--threads", paramLabel = "N", description = "Compute threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        int[] input = ids.stream().mapToInt(Integer::intValue).toArray();
        try (LlamaModel m = LlamaModel.load(model, threads == null ? Runtime.getRuntime().availableProcessors() : threads)) {
            for (int id : input) {
                if (id < 0 || id >= m.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + m.vocabSize() + ") of " + model);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("logits", m.logitsAll(input));
            System.out.println(new ObjectMapper().writeValueAsString(out));
        }
        return 0;
    }
}
