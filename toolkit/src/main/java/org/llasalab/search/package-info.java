/**
 * Verifier-guided search: how inference compute is spent choosing Llasa's speech.
 *
 * <p>A {@link org.llasalab.search.SearchStrategy} (made by {@link org.llasalab.search.SearchStrategies#create}
 * from an experiment's YAML, its parameters checked into a typed {@link org.llasalab.search.StrategyConfig})
 * takes {@link org.llasalab.search.SearchRequest}s, the {@link org.llasalab.search.SearchModels} (LM, codec,
 * speech-token layout, prompt builder) and the {@link org.llasalab.search.Guides} (step and pick verifiers),
 * and returns per request a {@link org.llasalab.search.SearchOutcome}: the chosen
 * {@link org.llasalab.search.ScoredCandidate}, all candidates, and a {@link org.llasalab.search.ComputeLedger}.
 *
 * <p>Each strategy is declared once, in its own file: a {@link org.llasalab.search.StrategyType} (name,
 * description, the key a budget sets), its parameter record (the common
 * {@link org.llasalab.search.StrategyConfig.Decoding} first, then one {@link org.llasalab.search.Key}-annotated
 * component per YAML key: {@code beamWidth} is {@code beam_width}, with its default and range; rules across
 * keys in the record's constructor) and the search itself. {@link org.llasalab.search.SearchStrategies}
 * lists them.
 *
 * <p>Strategies: {@code sample}, {@code greedy}, {@code best_of_n} (outcome reward, with budget prefixes),
 * {@code beam} (process reward on partial audio), {@code dvts} (independent subtrees) and
 * {@code partial_prm_orm} (PRM for the first part, ORM for the final pick). Any of them can search long
 * texts in chunks ({@link org.llasalab.search.TextChunker}). Internally, {@code Rollouts} drives one
 * {@link org.llasalab.lm.SequenceBatch} per request (prefill once, fork, batched steps, one seeded stream per
 * sequence) and {@code Judge} decodes and scores, both counting their work for the ledger.
 *
 * <p>{@link org.llasalab.search.LlasaModels} opens what a search runs on from folders (tokenizer, prompt
 * template and text front end, codec, LM; speech tokens clamped to the codec's codebook): the one set-up of
 * {@code llasa synth}, whose plain sampling is the {@code sample} strategy, and of the sweep's cell executor.
 */
package org.llasalab.search;
