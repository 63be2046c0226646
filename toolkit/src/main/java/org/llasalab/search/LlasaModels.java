package org.llasalab.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.llasalab.codec.Codecs;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.lm.LanguageModel;
import org.llasalab.lm.LlamaModel;
import org.llasalab.lm.SpeechTokens;
import org.llasalab.lm.prompt.LlasaPrompt;
import org.llasalab.lm.prompt.LlasaTokenizer;
import org.llasalab.lm.prompt.PromptTemplate;
import org.llasalab.lm.prompt.TextFrontEnds;
import org.llasalab.tensor.Quantization;

/**
 * A Llasa model opened for synthesis: its tokenizer, its prompt builder (template and the folder's text
 * front end), a codec and the LM, checked against each other. The one set-up that {@code llasa synth} and
 * the sweep's cell executor share:
 * <ul>
 *   <li>the speech tokens are the tokenizer's, clamped to the codec's codebook: a tokenizer may list more
 *   speech tokens than the codec has codes, and the LM must never draw a code the codec cannot decode;</li>
 *   <li>the LM's vocabulary must hold those speech tokens and the end marker;</li>
 *   <li>the LM runs its weights in their stored dtype ({@link LlamaModel#load} keeps them resident or mapped)
 *   unless a {@link Quantization} converts them when loading; an expected dtype, when given, must be the stored one.</li>
 * </ul>
 * Closing closes the LM, the codec and the tokenizer.
 */
public final class LlasaModels implements AutoCloseable {

    /**
     * What to open.
     *
     * @param model        the Llasa model folder ({@code config.json}, safetensors, usually {@code tokenizer.json})
     * @param tokenizer    the {@code tokenizer.json}; null: the model folder's
     * @param codec        the codec folder ({@code config.json} + weights)
     * @param quantization how to convert the LM's weights when loading; null: none
     * @param template     the prompt template; null: Llasa's default
     * @param dtype        the dtype the LM's weights must be stored in (e.g. {@code bf16}); null: any
     */
    public record Spec(Path model, Path tokenizer, Path codec, Quantization quantization, PromptTemplate template,
                       String dtype) {
        public Spec {
            Objects.requireNonNull(model, "model folder");
            Objects.requireNonNull(codec, "codec folder");
            if (tokenizer == null) tokenizer = model.resolve("tokenizer.json");
            if (quantization == null) quantization = Quantization.NONE;
        }

        /** The model folder's own tokenizer, Llasa's template, weights as stored. */
        public Spec(Path model, Path codec) {
            this(model, null, codec, null, null, null);
        }
    }

    private final Spec spec;
    private final LlasaTokenizer tokenizer;
    private final SpeechCodec codec;
    private final LlamaModel lm;
    private final SpeechTokens speech;
    private final LlasaPrompt prompt;

    private LlasaModels(Spec spec, LlasaTokenizer tokenizer, SpeechCodec codec, LlamaModel lm, SpeechTokens speech,
                        LlasaPrompt prompt) {
        this.spec = spec;
        this.tokenizer = tokenizer;
        this.codec = codec;
        this.lm = lm;
        this.speech = speech;
        this.prompt = prompt;
    }

    /** Opens {@code spec}'s tokenizer, codec and LM with all cores. */
    public static LlasaModels open(Spec spec) throws IOException {
        return open(spec, UnaryOperator.identity());
    }

    /**
     * Opens {@code spec}'s tokenizer, codec and LM with all cores; {@code codecView} wraps the codec once
     * (e.g. to time its calls): every use, the search's included, goes through the view, and closing closes it.
     * Whatever was opened is closed again when a check fails.
     */
    public static LlasaModels open(Spec spec, UnaryOperator<SpeechCodec> codecView) throws IOException {
        LlasaTokenizer tokenizer = null;
        SpeechCodec codec = null;
        LlamaModel lm = null;
        try {
            tokenizer = LlasaTokenizer.open(spec.tokenizer());
            codec = codecView.apply(Codecs.open(spec.codec()));
            lm = LlamaModel.load(spec.model(), Runtime.getRuntime().availableProcessors(), spec.quantization());
            String stored = lm.weightDType().name().toLowerCase(Locale.ROOT);
            if (spec.dtype() != null && !stored.equalsIgnoreCase(spec.dtype())) {
                throw new IOException(spec.model() + ": " + spec.dtype() + " weights were expected but the folder holds "
                        + stored + " (the engine runs weights in their stored dtype)");
            }
            SpeechTokens speech = speechTokens(spec.model(), tokenizer, lm, codec.codebookSize());
            LlasaPrompt prompt = TextFrontEnds.promptFor(spec.model(), tokenizer, spec.template());
            return new LlasaModels(spec, tokenizer, codec, lm, speech, prompt);
        } catch (IOException | RuntimeException | Error e) {
            closeAll(lm, codec, tokenizer);
            throw e;
        }
    }

    /**
     * The speech tokens {@code lm} may draw: {@code tokenizer}'s, clamped to {@code codebookSize} codes (the codec's;
     * {@link Integer#MAX_VALUE} for no codec), checked to lie, with the end marker, inside the LM's vocabulary.
     */
    public static SpeechTokens speechTokens(Path model, LlasaTokenizer tokenizer, LanguageModel lm, int codebookSize)
            throws IOException {
        SpeechTokens all = tokenizer.speechTokens();
        SpeechTokens speech = new SpeechTokens(all.offset(), Math.min(all.codebookSize(), codebookSize), all.endId());
        if (speech.offset() + speech.codebookSize() > lm.vocabSize() || speech.endId() >= lm.vocabSize()) {
            throw new IOException(model + ": the LM vocabulary (" + lm.vocabSize() + ") does not cover the tokenizer's"
                    + " speech tokens " + speech.offset() + ".." + (speech.offset() + speech.codebookSize() - 1)
                    + " and end id " + speech.endId());
        }
        return speech;
    }

    public Spec spec() {
        return spec;
    }

    public LlasaTokenizer tokenizer() {
        return tokenizer;
    }

    /** The codec (through the view given to {@link #open(Spec, UnaryOperator)}). */
    public SpeechCodec codec() {
        return codec;
    }

    public LlamaModel lm() {
        return lm;
    }

    /** The speech tokens the LM may draw: the tokenizer's, clamped to the codec's codebook. */
    public SpeechTokens speech() {
        return speech;
    }

    /** The prompt builder: the template and the model folder's text front end. */
    public LlasaPrompt prompt() {
        return prompt;
    }

    /**
     * The prompts of a request's pieces of text (for a search in chunks): with the voice prompt when the request's
     * context has a prompt text and {@code voiceCodes} gives the request's codes (null: no voice prompt in the LM prompt).
     */
    public PromptBuilder prompts(Function<SearchRequest, int[]> voiceCodes) {
        return (request, text) -> {
            String promptText = request.context() == null ? null : request.context().promptText();
            int[] codes = promptText == null ? null : voiceCodes.apply(request);
            return codes == null ? prompt.ids(text) : prompt.ids(promptText, codes, text);
        };
    }

    /** What a search runs on: the LM, the codec, the clamped speech tokens and {@code prompts}. */
    public SearchModels search(PromptBuilder prompts) {
        return search(UnaryOperator.identity(), prompts);
    }

    /** As {@link #search(PromptBuilder)} with the search seeing the LM through {@code lmView} (e.g. to count its work). */
    public SearchModels search(UnaryOperator<LanguageModel> lmView, PromptBuilder prompts) {
        return new SearchModels(lmView.apply(lm), codec, speech, prompts);
    }

    @Override
    public void close() {
        closeAll(lm, codec, tokenizer);
    }

    private static void closeAll(LlamaModel lm, SpeechCodec codec, LlasaTokenizer tokenizer) {
        if (lm != null) lm.close();
        if (codec != null) codec.close();
        if (tokenizer != null) tokenizer.close();
    }
}
