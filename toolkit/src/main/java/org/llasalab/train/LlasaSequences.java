package org.llasalab.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.llasalab.lm.prompt.LlasaPrompt;
import org.llasalab.lm.prompt.LlasaTokenizer;

/**
 * Training sequences in exactly the inference-time prompt format ({@link LlasaPrompt}, the chat template and
 * markers), completed with the target's speech tokens and {@code <|SPEECH_GENERATION_END|>}:
 * <ul>
 *   <li>single: {@code prompt(text)} + speech(codes) + end;</li>
 *   <li>pair (voice prompting, as Llasa clones): {@code prompt(promptText, promptCodes, text)} + speech(codes) + end,
 *       the prompt utterance drawn from the same voice (speaker and style), so the model learns to carry a
 *       prompt's voice into the continuation.</li>
 * </ul>
 * The loss covers every target after {@code <|SPEECH_GENERATION_START|>} (prompt speech, target speech and the
 * end marker).
 */
public final class LlasaSequences {
    private final LlasaPrompt prompt;
    private final LlasaTokenizer tokenizer;
    private final int startId;
    private final int endId;

    public LlasaSequences(LlasaPrompt prompt) {
        this.prompt = prompt;
        this.tokenizer = prompt.tokenizer();
        this.startId = tokenizer.requireToken("<|SPEECH_GENERATION_START|>");
        this.endId = tokenizer.requireToken(LlasaTokenizer.SPEECH_END);
    }

    public TokenSequence single(Utterance u) {
        return complete(prompt.ids(u.symbols()), u.codes());
    }

    public TokenSequence pair(Utterance promptUtterance, Utterance target) {
        if (!promptUtterance.voice().equals(target.voice())) {
            throw new IllegalArgumentException("prompt " + promptUtterance.id() + " and target " + target.id()
                    + " have different voices");
        }
        return complete(prompt.ids(promptUtterance.symbols(), promptUtterance.codes(), target.symbols()), target.codes());
    }

    private TokenSequence complete(int[] promptIds, int[] codes) {
        int start = -1;
        for (int i = promptIds.length - 1; i >= 0; i--) {
            if (promptIds[i] == startId) {
                start = i;
                break;
            }
        }
        if (start < 0) throw new IllegalStateException("the prompt has no <|SPEECH_GENERATION_START|>");
        int[] speech = tokenizer.toIds(codes);
        int[] ids = Arrays.copyOf(promptIds, promptIds.length + speech.length + 1);
        System.arraycopy(speech, 0, ids, promptIds.length, speech.length);
        ids[ids.length - 1] = endId;
        return new TokenSequence(ids, start + 1);
    }

    /**
     * One sequence per utterance: with probability {@code pairsFraction} (and when the voice has another
     * utterance) a pair with a random prompt of the same voice, else a single. Sequences longer than
     * {@code maxTokens} fall back to the single form; singles longer than that are dropped.
     */
    public List<TokenSequence> build(List<Utterance> utterances, double pairsFraction, int maxTokens, long seed) {
        if (!(pairsFraction >= 0 && pairsFraction <= 1)) throw new IllegalArgumentException("pairs fraction must be in [0, 1]");
        Map<String, List<Utterance>> byVoice = new LinkedHashMap<>();
        for (Utterance u : utterances) byVoice.computeIfAbsent(u.voice(), k -> new ArrayList<>()).add(u);
        Random random = new Random(seed);
        List<TokenSequence> out = new ArrayList<>();
        for (Utterance u : utterances) {
            List<Utterance> same = byVoice.get(u.voice());
            TokenSequence s = null;
            if (same.size() > 1 && random.nextDouble() < pairsFraction) {
                Utterance p = same.get(random.nextInt(same.size() - 1));
                if (p == u) p = same.get(same.size() - 1);
                s = pair(p, u);
                if (s.length() > maxTokens) s = null;
            }
            if (s == null) s = single(u);
            if (s.length() <= maxTokens) out.add(s);
        }
        return out;
    }
}
