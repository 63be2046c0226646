package org.llasalab.verifiers.wer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Word and character error rates of already-normalised text. */
public final class ErrorRate {
    private ErrorRate() {}

    /** Words: the text split on whitespace. */
    public static List<String> words(String text) {
        String t = text.strip();
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
    }

    /** Characters (Unicode code points) of the text, whitespace left out. */
    public static List<String> characters(String text) {
        List<String> out = new ArrayList<>();
        text.codePoints().filter(c -> !Character.isWhitespace(c)).forEach(c -> out.add(Character.toString(c)));
        return out;
    }

    public static EditCounts wer(String reference, String hypothesis) {
        return Alignment.count(words(reference), words(hypothesis));
    }

    public static EditCounts cer(String reference, String hypothesis) {
        return Alignment.count(characters(reference), characters(hypothesis));
    }
}
