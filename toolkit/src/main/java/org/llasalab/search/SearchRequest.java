package org.llasalab.search;

import org.llasalab.verify.Candidate;

/**
 * One utterance to synthesise: the LM prompt ids (text, and for voice cloning the prompt's speech
 * tokens, already built), what verifiers need to judge it ({@code context}: target text, prompt audio
 * and text, target emotion; its audio field is unused), and the expected number of speech tokens
 * (for {@code prm_fraction}; may be 0 when unknown).
 */
public record SearchRequest(String id, int[] promptIds, Candidate context, int expectedTokens, long seed) {}
