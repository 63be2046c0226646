/**
 * Training of Llama-architecture Llasa LMs with DL4J/ND4J SameDiff on CPU, and export to Hugging Face folders
 * that the inference engine ({@code org.llasalab.lm.LlamaModel}) loads like a released Llasa checkpoint.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link org.llasalab.train.LlamaTrainingGraph}: the decoder as a SameDiff graph with the engine's
 *       mathematics (RMSNorm, rotary embeddings, grouped-query attention as matmul + additive causal/padding
 *       bias + softmax + matmul, SwiGLU, tied or untied head); batch size and length are open, so one graph
 *       serves every length bucket.</li>
 *   <li>{@link org.llasalab.train.TrainingBatch}: placeholders of a right-padded batch (loss weights, bias,
 *       rotary tables).</li>
 *   <li>{@link org.llasalab.train.AdamW} (global-norm clipping, decoupled decay, none on norm gains) and
 *       {@link org.llasalab.train.LearningRateSchedule} (linear warm-up, cosine decay).</li>
 *   <li>{@link org.llasalab.train.BucketedBatches}: length buckets, token-capped batches, seeded order.</li>
 *   <li>{@link org.llasalab.train.Trainer}: the loop: held-out cross-entropy from the logits; its
 *       {@link org.llasalab.train.TrainingLog} ({@code train.log}, {@code loss.csv}:
 *       {@value org.llasalab.train.TrainingLog#CSV_HEADER}), atomic {@link org.llasalab.train.Checkpoints} and
 *       exact resume, and {@link org.llasalab.train.TrainingSummary} ({@code summary.json}, the run's facts for
 *       a study of runs).</li>
 *   <li>{@link org.llasalab.train.LlasaSequences}: Llasa-format sequences (single utterances and same-voice
 *       prompt + target pairs) built with the inference-time prompt builder, so training and inference prompts
 *       agree token for token.</li>
 *   <li>{@link org.llasalab.train.CorpusEncoder} and {@link org.llasalab.train.UtteranceCache}: the corpus
 *       phonemised and encoded once.</li>
 *   <li>{@link org.llasalab.train.TokenizerSpec} and {@link org.llasalab.train.HuggingFaceExport}: the
 *       micro-world vocabulary and the exported folder.</li>
 *   <li>{@link org.llasalab.train.TrainingConfig} and {@link org.llasalab.train.TrainingRun}: what
 *       {@code llasa train FILE.yaml [--resume]} runs (the command itself belongs to the cli layer).</li>
 * </ul>
 */
package org.llasalab.train;
