package org.llasalab.search;

import java.util.Objects;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.lm.LanguageModel;
import org.llasalab.lm.SpeechTokens;

/**
 * What a search runs on: the LM, the codec that turns its speech tokens into audio, where the speech
 * tokens sit in the LM vocabulary, and (optional, needed only for text chunking) how to build a
 * prompt for a piece of text.
 */
public record SearchModels(LanguageModel lm, SpeechCodec codec, SpeechTokens speech, PromptBuilder prompts) {
    public SearchModels {
        Objects.requireNonNull(lm, "lm");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(speech, "speech tokens");
        if (speech.codebookSize() > codec.codebookSize()) {
            throw new IllegalArgumentException("the LM has " + speech.codebookSize()
                    + " speech tokens but codec " + codec.name() + " only " + codec.codebookSize() + " codes");
        }
    }

    public SearchModels(LanguageModel lm, SpeechCodec codec, SpeechTokens speech) {
        this(lm, codec, speech, null);
    }
}
