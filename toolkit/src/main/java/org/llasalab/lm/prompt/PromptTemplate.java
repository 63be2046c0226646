package org.llasalab.lm.prompt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.llasalab.io.yaml.Problem;
import org.llasalab.io.yaml.YamlException;
import org.llasalab.io.yaml.YamlFields;
import org.llasalab.io.yaml.YamlNode.MapNode;
import org.llasalab.io.yaml.YamlTree;

/**
 * The text around a Llasa prompt, with three placeholders: {@code {system}} (the system turn, or nothing),
 * {@code {text}} (the text to speak) and {@code {speech}} (the speech tokens of a voice prompt, empty for
 * zero-shot). The rendered text is tokenised with special tokens recognised and none added, as Hugging
 * Face's {@code apply_chat_template(..., continue_final_message=True)} does.
 *
 * <p>What the default reproduces, and how sure it is: Llasa's inference code calls
 * {@code apply_chat_template} with the user message {@code "Convert the text to speech:" +
 * "<|TEXT_UNDERSTANDING_START|>" + text + "<|TEXT_UNDERSTANDING_END|>"} and the open assistant message
 * {@code "<|SPEECH_GENERATION_START|>" + speech tokens}. The Llasa models were fine-tuned from
 * Llama-3.2/3.1 Instruct and their tokenizer_config.json keeps the Llama-3 Instruct chat template;
 * independent ports that print the rendered prompt show the Llama-3.2 default system turn
 * ({@code "Cutting Knowledge Date: December 2023\nToday Date: <date>\n\n"}) before the user turn, so the
 * default emits it. Unconfirmed: the template text itself (we could not read Llasa's
 * tokenizer_config.json), and the date: the Llama-3.2 template asks transformers for the current date
 * ({@code strftime_now}), so with Llasa-1B/3B the real prompt changes with the day it runs, while the
 * Llama-3.1 template (Llasa-8B) writes the fixed "26 Jul 2024", which is also the 3.2 template's own
 * fallback; we use that date so that prompts are reproducible. Both are parameters here.
 */
public record PromptTemplate(String format, boolean systemHeader, String systemMessage) {
    public static final String LLAMA3_FORMAT = "<|begin_of_text|>{system}"
            + "<|start_header_id|>user<|end_header_id|>\n\n"
            + "Convert the text to speech:<|TEXT_UNDERSTANDING_START|>{text}<|TEXT_UNDERSTANDING_END|><|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n"
            + "<|SPEECH_GENERATION_START|>{speech}";

    /** The Llama-3.2 template's default system message, with its fallback date. */
    public static final String LLAMA32_SYSTEM_MESSAGE = "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n";

    /** The faithful default: Llama-3 chat template with the Llama-3.2 default system turn. */
    public static final PromptTemplate DEFAULT = new PromptTemplate(LLAMA3_FORMAT, true, LLAMA32_SYSTEM_MESSAGE);

    /** The same without a system turn (what a Llama-3.0-style template renders). */
    public static final PromptTemplate NO_SYSTEM = new PromptTemplate(LLAMA3_FORMAT, false, "");

    public PromptTemplate {
        if (format == null || count(format, "{text}") != 1 || count(format, "{speech}") != 1) {
            throw new IllegalArgumentException("a prompt template needs exactly one {text} and one {speech} placeholder: "
                    + format);
        }
        if (count(format, "{system}") > 1) {
            throw new IllegalArgumentException("a prompt template has at most one {system} placeholder: " + format);
        }
        if (systemMessage == null) {
            systemMessage = "";
        }
    }

    /**
     * Reads a template file (YAML, or JSON, which is YAML too): {@code template} (the format string),
     * {@code system_header} (boolean) and {@code system_message}; absent keys keep the default's values.
     * Every problem (unknown or mistyped keys, a format without its placeholders) is reported at once, with
     * the file and line.
     */
    public static PromptTemplate read(Path file) throws YamlException {
        List<Problem> problems = new ArrayList<>();
        YamlFields f = new YamlFields(file, problems);
        MapNode m = f.map(YamlTree.read(file, problems), "prompt template");
        PromptTemplate template = DEFAULT;
        if (m != null) {
            f.checkKeys(m, Set.of("template", "system_header", "system_message"), "prompt template");
            String format = f.string(m, "template", DEFAULT.format(), "prompt template");
            boolean system = f.bool(m, "system_header", DEFAULT.systemHeader(), "prompt template");
            String message = f.string(m, "system_message", DEFAULT.systemMessage(), "prompt template");
            try {
                template = new PromptTemplate(format, system, message);
            } catch (IllegalArgumentException e) {
                f.problem(m.location(), "prompt template: " + e.getMessage());
            }
        }
        if (f.hasProblems()) throw new YamlException("the prompt template", problems);
        return template;
    }

    /** The system turn that replaces {@code {system}}. */
    public String systemTurn() {
        return systemHeader ? "<|start_header_id|>system<|end_header_id|>\n\n" + systemMessage + "<|eot_id|>" : "";
    }

    public PromptTemplate withSystemHeader(boolean on) {
        return new PromptTemplate(format, on, systemMessage);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) n++;
        return n;
    }
}
