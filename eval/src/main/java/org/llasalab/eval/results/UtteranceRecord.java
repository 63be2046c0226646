package org.llasalab.eval.results;

import java.util.List;
import java.util.Map;

/**
 * What one cell produced for one utterance. {@code metrics}: one score per evaluation verifier, keyed
 * by the verifier's name in the experiment ({@code wer}, {@code sim}, {@code emotion}, ...).
 * {@code ledger}: the compute spent ({@code lm_forward_tokens}, {@code flops}, {@code verifier_calls},
 * {@code wall_seconds}, ...). {@code audio}: the final candidates, the chosen one first (mono at
 * {@code sampleRate}; may be empty). {@code details}: free text such as the ASR transcript.
 */
public record UtteranceRecord(Map<String, Double> metrics, Map<String, Double> ledger, List<float[]> audio,
        int sampleRate, Map<String, String> details) {
    public UtteranceRecord {
        metrics = Map.copyOf(metrics);
        ledger = Map.copyOf(ledger);
        audio = List.copyOf(audio);
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
