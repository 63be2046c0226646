package org.llasalab.eval.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llasalab.codec.PromptAudio;
import org.llasalab.codec.SpeechCodec;
import org.llasalab.dsp.Audio;
import org.llasalab.dsp.Resampler;
import org.llasalab.eval.audio.EvalAudio;
import org.llasalab.eval.bench.BenchmarkItem;
import org.llasalab.eval.experiment.Experiment.VerifierSpec;
import org.llasalab.lm.SamplingParams;
import org.llasalab.lm.Seeds;
import org.llasalab.lm.prompt.LlasaPrompt;
import org.llasalab.lm.prompt.PromptCodes;
import org.llasalab.search.Guides;
import org.llasalab.search.LlasaModels;
import org.llasalab.search.ScoredCandidate;
import org.llasalab.search.SearchModels;
import org.llasalab.search.SearchOutcome;
import org.llasalab.search.SearchRequest;
import org.llasalab.search.SearchStrategies;
import org.llasalab.search.SearchStrategy;
import org.llasalab.tensor.Quantization;
import org.llasalab.verify.Candidate;
import org.llasalab.verify.Score;
import org.llasalab.verify.Verifier;
import org.llasalab.verify.Verifiers;
import org.llasalab.eval.experiment.Cell;
import org.llasalab.eval.experiment.Experiment;
import org.llasalab.eval.experiment.BudgetGroups;
import org.llasalab.eval.experiment.ModelFingerprint;
import org.llasalab.eval.results.UtteranceRecord;

/**
 * The real cell executor: a Llasa-format LM with its tokenizer, prompt builder and codec (opened by
 * {@link LlasaModels}, as {@code llasa synth} opens them), the cell's search strategy (which generates every
 * candidate of an utterance as one batch) and the experiment's verifiers. The model and codec stay loaded
 * while consecutive cells share them; verifiers are made once per run. A model's {@code dtype}, when given,
 * must be the dtype its weights are stored in (the engine computes in that dtype, unless {@code quantize}
 * converts them when loading).
 *
 * <p>Guides: a strategy's {@code search:} list names its step (process) verifier first and its pick
 * (outcome) verifier last; one name serves as both. Voice prompts are encoded with the codec when it
 * can encode (the X-codec2 encoder or the micro codec), each prompt file once per run (cached by its
 * content hash); otherwise their codes are read from {@code PROMPT.npy} or {@code PROMPT.codes.json}
 * beside the prompt WAV. Metrics: each evaluation verifier's score of the chosen candidate. Ledger:
 * the search's {@link org.llasalab.search.ComputeLedger} fields plus {@code lm_tokens} and
 * {@code candidates}. An item's {@code emotion} attribute is the target emotion of every verifier's
 * {@link Candidate}, guiding and evaluating alike.
 */
public final class SearchCellExecutor implements CellExecutor {
    private final Experiment experiment;
    private final Map<String, Verifier> verifiers = new LinkedHashMap<>();
    private Path loadedModel;
    private String loadedQuantize;
    private Path loadedCodec;
    /** The open cell's tokenizer, prompt builder, codec (timed) and LM. */
    private LlasaModels opened;
    private SpeechCodec codec;
    private LlasaPrompt prompt;
    private SearchModels models;
    private SearchStrategy strategy;
    private Guides guides;
    /** Whether the open cell's LM prompt holds the voice prompt (its strategy's {@code voice_prompt}). */
    private boolean voicePrompt = true;

    private final boolean shareBudgets;
    private final Map<String, SearchStrategy> budgetStrategies = new HashMap<>();
    private final CountingLanguageModel.Counts lmWork = new CountingLanguageModel.Counts();
    /** Where this executor's time goes (LM, codec, verifiers, loading); the runner adds its own parts. */
    private final RunClock clock = new RunClock();

    /** An executor that runs the budgets of a best-of-N strategy with reused prefixes in one search. */
    public SearchCellExecutor(Experiment experiment) {
        this(experiment, true);
    }

    /** {@code shareBudgets} false: every budget its own search (for comparisons). */
    public SearchCellExecutor(Experiment experiment, boolean shareBudgets) {
        this.experiment = experiment;
        this.shareBudgets = shareBudgets;
    }

    @Override
    public RunClock clock() {
        return clock;
    }

    @Override
    public void open(Cell cell) throws Exception {
        clock.enter(RunClock.Component.LOAD);
        try {
            openTimed(cell);
        } finally {
            clock.exit();
        }
    }

    private void openTimed(Cell cell) throws Exception {
        Path modelDir = cell.model().dir();
        Path codecDir = cell.model().codecDir();
        if (modelDir != null && !Files.exists(modelDir)) { // it was there when the experiment was read
            throw new IOException("model '" + cell.model().name() + "': the folder " + modelDir + " is gone (moved or"
                    + " deleted during the run?); put it back and run the same command again: finished cells are kept");
        }
        if (modelDir == null || !Files.isRegularFile(modelDir.resolve("config.json"))) {
            throw new IOException("model '" + cell.model().name() + "': " + modelDir + " is not a model folder yet"
                    + (cell.model().path().startsWith("micro-") ? " (train the micro-world model first)" : ""));
        }
        String quantize = cell.model().quantize() == null ? "none" : cell.model().quantize();
        if (!modelDir.equals(loadedModel) || !codecDir.equals(loadedCodec) || !quantize.equals(loadedQuantize)) {
            closeModels();
            opened = LlasaModels.open(new LlasaModels.Spec(modelDir, null, codecDir, Quantization.parse(quantize), null,
                    cell.model().dtype()), c -> new TimedCodec(c, clock));
            codec = opened.codec();
            prompt = opened.prompt();
            models = opened.search(lm -> new CountingLanguageModel(lm, lmWork, clock),
                    opened.prompts(request -> voicePrompt ? promptCodes(request) : null));
            loadedModel = modelDir;
            loadedQuantize = quantize;
            loadedCodec = codecDir;
        }
        voicePrompt = cell.strategy().voicePrompt();
        strategy = strategy(cell, cell.strategy().paramsAt(cell.budget()));
        budgetStrategies.clear();
        List<Verifier> g = new ArrayList<>();
        for (VerifierSpec v : cell.guides()) g.add(verifier(v));
        guides = g.isEmpty() ? Guides.none() : Guides.of(g.getFirst(), g.getLast());
        for (VerifierSpec v : cell.evaluators()) verifier(v);
    }

    private static SearchStrategy strategy(Cell cell, Map<String, Object> params) {
        params.putIfAbsent("max_tokens", cell.sampling().maxTokens());
        var s = cell.sampling();
        return SearchStrategies.create(cell.strategy().type(), params,
                new SamplingParams(s.temperature(), s.topK(), s.topP(), s.minP(), s.repetitionPenalty()));
    }

    private final Map<String, int[]> promptCodeCache = new LinkedHashMap<>();

    private int[] promptCodes(SearchRequest request) {
        return promptCodeCache.getOrDefault(request.id(), new int[0]);
    }

    @Override
    public UtteranceRecord run(Cell cell, BenchmarkItem item) throws Exception {
        SearchRequest request = request(cell, item);
        SearchOutcome outcome = strategy.search(List.of(request), models, guides).getFirst();
        return result(cell, request, outcome, new HashMap<>());
    }

    @Override
    public boolean sharesBudgets() {
        return shareBudgets;
    }

    /**
     * One best-of-N search with n = the largest budget of {@code cells} and {@code budgets} = all of
     * them; each cell's result comes from its budget's outcome (the first k candidates).
     */
    @Override
    public List<UtteranceRecord> runBudgets(List<Cell> cells, BenchmarkItem item) throws Exception {
        for (Cell c : cells) {
            if (!BudgetGroups.sharesRuns(c)) {
                throw new IllegalArgumentException("cell " + c.label() + " is not a best-of-N budget with reused prefixes");
            }
        }
        List<Integer> budgets = cells.stream().map(Cell::budget).distinct().sorted().toList();
        Cell lead = cells.getLast();
        SearchStrategy shared = budgetStrategies.computeIfAbsent(lead.strategy().name() + budgets, k -> {
            Map<String, Object> params = lead.strategy().paramsAt(budgets.getLast());
            params.put("budgets", budgets);
            return strategy(lead, params);
        });
        SearchRequest request = request(lead, item);
        SearchOutcome outcome = shared.search(List.of(request), models, guides).getFirst();
        Map<Integer, Map<String, Score>> evaluated = new HashMap<>();
        List<UtteranceRecord> results = new ArrayList<>();
        for (Cell c : cells) results.add(result(c, request, outcome.budget(c.budget()), evaluated));
        return results;
    }

    /**
     * An item's search request: its prompt (with the voice prompt's codes, unless the strategy has
     * {@code voice_prompt: false}) and what verifiers judge against (the prompt audio as the speaker
     * reference either way).
     */
    private SearchRequest request(Cell cell, BenchmarkItem item) throws IOException {
        boolean cloning = item.promptWav() != null;
        boolean prompted = cloning && voicePrompt;
        float[] promptAudio = cloning ? EvalAudio.load16k(item.promptWav()) : null;
        int[] codes = prompted ? voiceCodes(item.promptWav(), promptAudio) : new int[0];
        promptCodeCache.clear();
        promptCodeCache.put(item.id(), codes);
        int[] ids = prompted ? prompt.ids(item.promptText(), codes, item.targetText()) : prompt.ids(item.targetText());
        String promptText = cloning ? item.promptText() : null;
        Candidate context = new Candidate(null, item.targetText(), promptAudio, promptText, item.emotion());
        int expected = 0;
        if (item.groundTruthWav() != null && Files.isRegularFile(item.groundTruthWav())) {
            expected = (int) Math.round(EvalAudio.load16k(item.groundTruthWav()).length
                    / (double) EvalAudio.RATE * codec.frameRate());
        }
        long seed = Seeds.derive(cell.seed(), item.id().hashCode());
        return new SearchRequest(item.id(), ids, context, expected, seed);
    }

    /**
     * A cell's result from its outcome: each evaluation verifier's score of the chosen candidate
     * ({@code evaluated} keeps them by candidate index, so that budgets choosing the same candidate score
     * it once), the ledger, the audio (chosen first).
     */
    private UtteranceRecord result(Cell cell, SearchRequest request, SearchOutcome outcome,
            Map<Integer, Map<String, Score>> evaluated) {
        ScoredCandidate chosen = outcome.chosen();
        Map<String, Score> scores = evaluated.computeIfAbsent(chosen.index(), i -> new HashMap<>());
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> details = new LinkedHashMap<>();
        Candidate judged = null;
        for (VerifierSpec v : cell.evaluators()) {
            Score score = scores.get(v.name());
            Verifier verifier = verifier(v);
            if (score == null && verifier == guides.pick() && codec.sampleRate() == Candidate.SAMPLE_RATE) {
                // the pick verifier scored this very audio, against the same context, to choose it
                score = chosen.scores().get(verifier.metric());
                if (score != null) scores.put(v.name(), score);
            }
            if (score == null) {
                if (judged == null) {
                    float[] audio = codec.sampleRate() == Candidate.SAMPLE_RATE ? chosen.audio()
                            : resample(chosen.audio(), codec.sampleRate(), Candidate.SAMPLE_RATE);
                    Candidate context = request.context();
                    judged = new Candidate(audio, context.targetText(), context.promptAudio(), context.promptText(),
                            context.targetEmotion());
                }
                score = verifier.score(List.of(judged)).getFirst();
                scores.put(v.name(), score);
            }
            metrics.put(v.name(), score.value());
            score.details().forEach((k, val) -> details.put(v.name() + "." + k, String.valueOf(val)));
        }
        details.put("finished", String.valueOf(chosen.finished()));
        details.put("speech_tokens", String.valueOf(chosen.tokens()));
        Map<String, Double> ledger = new LinkedHashMap<>(outcome.ledger().asMap());
        ledger.put("lm_tokens", (double) outcome.ledger().lmTokens());
        ledger.put("candidates", (double) outcome.candidates().size());
        List<float[]> candidates = new ArrayList<>();
        candidates.add(chosen.audio());
        for (ScoredCandidate c : outcome.candidates()) {
            if (c.index() != chosen.index()) candidates.add(c.audio());
        }
        return new UtteranceRecord(metrics, ledger, candidates, codec.sampleRate(), details);
    }

    /** Prefill tokens this executor's searches ran through the LM, in all. */
    public long lmPrefillTokens() {
        return lmWork.prefillTokens();
    }

    /** Decode tokens this executor's searches ran through the LM, in all. */
    public long lmDecodeTokens() {
        return lmWork.decodeTokens();
    }

    @Override
    public Verifier.Direction direction(String verifierName) {
        Verifier v = verifiers.get(verifierName);
        if (v == null) { // not opened by this run (its cells were finished before): open it for the answer
            VerifierSpec spec = experiment.verifiers().get(verifierName);
            if (spec == null) return null;
            try {
                v = verifier(spec);
            } catch (RuntimeException ex) {
                return null; // unknown stays unknown; the cells that need it report why when they run
            }
        }
        return v.direction();
    }

    private Verifier verifier(VerifierSpec spec) {
        return verifiers.computeIfAbsent(spec.name(),
                n -> new TimedVerifier(Verifiers.create(spec.type(), spec.params(),
                        experiment.file().toAbsolutePath().getParent()), clock));
    }

    /**
     * Codes of the voice prompts this run encoded, keyed by the codec folder and the SHA-256 of the WAV file's
     * bytes: each prompt is encoded once whatever the number of cells (and identical files only once).
     */
    private final Map<String, int[]> encodedPrompts = new HashMap<>();

    /** The prompt's codec codes: encoded by the codec (once, see {@link #encodedPrompts}), or read from a codes file beside the WAV. */
    private int[] voiceCodes(Path wav, float[] audio16k) throws IOException {
        if (codec.canEncode()) {
            String key = loadedCodec.toAbsolutePath() + "\n" + fileHash(wav);
            int[] codes = encodedPrompts.get(key);
            if (codes == null) {
                String tooShort = PromptAudio.tooShort(wav, new Audio(audio16k, EvalAudio.RATE));
                if (tooShort != null) throw new IOException(tooShort);
                float[] a = codec.sampleRate() == EvalAudio.RATE ? audio16k
                        : resample(audio16k, EvalAudio.RATE, codec.sampleRate());
                codes = codec.encode(a);
                encodedPrompts.put(key, codes);
            }
            return codes.clone();
        }
        String name = wav.getFileName().toString();
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        for (String suffix : List.of(".npy", ".codes.json")) {
            Path codes = wav.resolveSibling(stem + suffix);
            if (Files.isRegularFile(codes)) return PromptCodes.read(codes);
        }
        throw new IOException(wav + ": codec " + codec.name() + " cannot encode audio and there is no " + stem
                + ".npy or " + stem + ".codes.json beside it with the prompt's codes");
    }

    /** How many voice prompts this executor has encoded (each distinct file content once per codec). */
    int promptsEncoded() {
        return encodedPrompts.size();
    }

    /** SHA-256 of each prompt file this run has read (a prompt serves every cell: read and hashed once). */
    private final Map<Path, String> promptHashes = new HashMap<>();

    private String fileHash(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        String hash = promptHashes.get(key);
        if (hash == null) {
            hash = java.util.HexFormat.of().formatHex(ModelFingerprint.sha256().digest(Files.readAllBytes(file)));
            promptHashes.put(key, hash);
        }
        return hash;
    }

    private static float[] resample(float[] samples, int from, int to) {
        return Resampler.resample(new Audio(samples, from), to).samples();
    }

    private void closeModels() {
        if (opened != null) opened.close();
        opened = null;
        codec = null;
        prompt = null;
        models = null;
        loadedModel = null;
        loadedQuantize = null;
        loadedCodec = null;
    }

    @Override
    public void close() {
        closeModels();
        for (Verifier v : verifiers.values()) v.close();
        verifiers.clear();
    }
}
