package org.llasalab.verifiers.wer;

/**
 * The seed-tts-eval text processing (llasa-spec.md section 6): every punctuation mark except the ASCII
 * apostrophe is deleted (ASCII punctuation and Unicode punctuation such as CJK marks and curly quotes),
 * letters are lower-cased, CJK characters are separated by spaces (so Chinese WER is CER), and runs of
 * whitespace collapse to one space. No number normalisation.
 */
public final class SeedTtsNormalizer implements TextNormalizer {
    public static final String NAME = "seed-tts-eval";
    private static final String ASCII_PUNCTUATION = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (c == '\'') {
                sb.append('\'');
            } else if (isPunctuation(c)) {
                // deleted, not replaced by a space
            } else if (isCjk(c)) {
                sb.append(' ').appendCodePoint(c).append(' ');
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString().toLowerCase(java.util.Locale.ROOT).strip().replaceAll("\\s+", " ");
    }

    static boolean isPunctuation(int c) {
        if (c < 128) {
            return ASCII_PUNCTUATION.indexOf(c) >= 0;
        }
        return switch (Character.getType(c)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    static boolean isCjk(int c) {
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA;
    }
}
