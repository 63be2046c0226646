package org.llasalab.eval.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * One test utterance in the seed-tts-eval sense: synthesise {@code targetText} in the voice of
 * {@code promptWav} (whose transcript is {@code promptText}). {@code groundTruthWav} may be null.
 * {@code attributes}: what else the test set says about the item, e.g. {@code emotion}, {@code speaker},
 * {@code style} (from a manifest beside the list, see {@link SeedTtsList}); empty when it says nothing.
 */
public record BenchmarkItem(String id, String promptText, Path promptWav, String targetText, Path groundTruthWav,
        Map<String, String> attributes) {
    /** The emotion the utterance should carry (attribute {@value}), for emotion verifiers. */
    public static final String EMOTION = "emotion";
    public static final String SPEAKER = "speaker";
    public static final String STYLE = "style";

    public BenchmarkItem {
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /** An item without attributes. */
    public BenchmarkItem(String id, String promptText, Path promptWav, String targetText, Path groundTruthWav) {
        this(id, promptText, promptWav, targetText, groundTruthWav, Map.of());
    }

    /** The attribute {@code key}, or null when the test set does not give it. */
    public String attribute(String key) {
        return attributes.get(key);
    }

    /** The target emotion, or null. */
    public String emotion() {
        return attribute(EMOTION);
    }

    /** This item with {@code attributes} instead of its own. */
    public BenchmarkItem withAttributes(Map<String, String> attributes) {
        return new BenchmarkItem(id, promptText, promptWav, targetText, groundTruthWav, attributes);
    }
}
