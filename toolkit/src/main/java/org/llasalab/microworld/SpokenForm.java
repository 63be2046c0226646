package org.llasalab.microworld;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The micro world's text normalisation: lower case, numbers spelled out, punctuation stripped, words of
 * letters with at most inner apostrophes ({@code don't}), separated by single spaces.
 */
public final class SpokenForm {
    private static final Pattern WORD = Pattern.compile("[a-z]+(?:'[a-z]+)*");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");
    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven",
        "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
        "seventeen", "eighteen", "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
        "eighty", "ninety"};

    private SpokenForm() {}

    /** The normalised words of {@code text}, or empty when a token cannot be normalised (e.g. "3rd", "x86"). */
    public static Optional<List<String>> words(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        s = s.toLowerCase(Locale.ROOT)
                .replace('\u2019', '\'').replace('\u2018', '\'')
                .replace("&", " and ")
                .replaceAll("(\\d),(\\d{3})", "$1$2");
        // Hyphens, dashes, slashes and other separators split words; other punctuation is dropped.
        s = s.replaceAll("[-\u2010-\u2015/_]", " ");
        List<String> out = new ArrayList<>();
        for (String raw : s.split("\\s+")) {
            String token = raw.replaceAll("[^a-z0-9']", "");
            token = token.replaceAll("^'+|'+$", "");
            if (token.isEmpty()) {
                if (raw.matches(".*[\\p{L}\\p{N}].*")) return Optional.empty();   // a non-Latin word
                continue;
            }
            if (NUMBER.matcher(token).matches()) {
                for (String w : spell(Long.parseLong(token)).split(" ")) out.add(w);
            } else if (WORD.matcher(token).matches()) {
                out.add(token);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(out);
    }

    /** {@code text} normalised to a single line of words; an exception when it cannot be. */
    public static String normalise(String text) {
        return String.join(" ", words(text).orElseThrow(() ->
                new IllegalArgumentException("cannot normalise text (mixed letters and digits, or non-Latin): '" + text + "'")));
    }

    /** Cardinal number in words, e.g. 1984 -> "one thousand nine hundred eighty four". */
    public static String spell(long n) {
        if (n < 0 || n > 999_999_999L) throw new IllegalArgumentException("number out of range: " + n);
        if (n < 20) return ONES[(int) n];
        if (n < 100) return TENS[(int) (n / 10)] + (n % 10 == 0 ? "" : " " + ONES[(int) (n % 10)]);
        if (n < 1000) return ONES[(int) (n / 100)] + " hundred" + (n % 100 == 0 ? "" : " " + spell(n % 100));
        if (n < 1_000_000) return spell(n / 1000) + " thousand" + (n % 1000 == 0 ? "" : " " + spell(n % 1000));
        return spell(n / 1_000_000) + " million" + (n % 1_000_000 == 0 ? "" : " " + spell(n % 1_000_000));
    }
}
