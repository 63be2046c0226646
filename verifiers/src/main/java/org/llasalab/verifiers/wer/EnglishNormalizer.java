package org.llasalab.verifiers.wer;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * English normalisation for a fair WER: on top of lower-casing and punctuation removal, spells out
 * numbers ("50" → "fifty", "3.5" → "three point five", "1,000" → "one thousand"), ordinals ("3rd" →
 * "third"), years ("1990" → "nineteen ninety"), currency ("$5" → "five dollars"), percentages, clock
 * times, common abbreviations ("Dr." → "doctor") and contractions ("don't" → "do not"), and splits
 * hyphenated words, so that a transcript in digits matches a reference in words.
 */
public final class EnglishNormalizer implements TextNormalizer {
    public static final String NAME = "english";

    private static final Map<String, String> ABBREVIATIONS = new LinkedHashMap<>();
    private static final Map<String, String> CONTRACTIONS = new LinkedHashMap<>();
    private static final Map<String, String> CURRENCY = Map.of("$", "dollar", "£", "pound", "€", "euro", "¥", "yen");
    private static final Map<String, String> CENTS = Map.of("$", "cent", "£", "penny", "€", "cent", "¥", "sen");

    static {
        // with a period (the period is part of the abbreviation)
        ABBREVIATIONS.put("mr", "mister");
        ABBREVIATIONS.put("mrs", "missus");
        ABBREVIATIONS.put("ms", "miss");
        ABBREVIATIONS.put("dr", "doctor");
        ABBREVIATIONS.put("prof", "professor");
        ABBREVIATIONS.put("st", "saint");
        ABBREVIATIONS.put("jr", "junior");
        ABBREVIATIONS.put("sr", "senior");
        ABBREVIATIONS.put("gen", "general");
        ABBREVIATIONS.put("gov", "governor");
        ABBREVIATIONS.put("sgt", "sergeant");
        ABBREVIATIONS.put("capt", "captain");
        ABBREVIATIONS.put("lt", "lieutenant");
        ABBREVIATIONS.put("col", "colonel");
        ABBREVIATIONS.put("rev", "reverend");
        ABBREVIATIONS.put("hon", "honorable");
        ABBREVIATIONS.put("vs", "versus");
        ABBREVIATIONS.put("etc", "et cetera");
        ABBREVIATIONS.put("approx", "approximately");
        ABBREVIATIONS.put("dept", "department");
        ABBREVIATIONS.put("ave", "avenue");
        ABBREVIATIONS.put("mt", "mount");
        ABBREVIATIONS.put("ft", "feet");

        CONTRACTIONS.put("won't", "will not");
        CONTRACTIONS.put("can't", "can not");
        CONTRACTIONS.put("cannot", "can not");
        CONTRACTIONS.put("shan't", "shall not");
        CONTRACTIONS.put("ain't", "is not");
        CONTRACTIONS.put("let's", "let us");
        CONTRACTIONS.put("y'all", "you all");
        CONTRACTIONS.put("i'm", "i am");
        CONTRACTIONS.put("it's", "it is");
        CONTRACTIONS.put("he's", "he is");
        CONTRACTIONS.put("she's", "she is");
        CONTRACTIONS.put("that's", "that is");
        CONTRACTIONS.put("what's", "what is");
        CONTRACTIONS.put("where's", "where is");
        CONTRACTIONS.put("who's", "who is");
        CONTRACTIONS.put("there's", "there is");
        CONTRACTIONS.put("here's", "here is");
        CONTRACTIONS.put("how's", "how is");
        CONTRACTIONS.put("'cause", "because");
        CONTRACTIONS.put("o'clock", "o'clock");
    }

    private static final Pattern MULTI_DOT_ABBREVIATION = Pattern.compile("\\b(e\\.g|i\\.e|a\\.m|p\\.m|u\\.s|u\\.k)\\.?(?=\\s|$|[,;:!?])");
    private static final Pattern DOTTED_ABBREVIATION = Pattern.compile("\\b(" + String.join("|", ABBREVIATIONS.keySet())
            + ")\\.(?=\\s|$)");
    private static final Pattern TITLE_WITHOUT_DOT = Pattern.compile("\\b(mr|mrs|dr)\\b(?!')");
    private static final Pattern THOUSANDS_SEPARATOR = Pattern.compile("(?<=\\d),(?=\\d{3}\\b)");
    private static final Pattern MONEY = Pattern.compile(
            "([$£€¥])\\s?(\\d+)(?:\\.(\\d{1,2}))?(?:\\s?(thousand|million|billion|trillion)\\b)?");
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s?%");
    private static final Pattern ORDINAL = Pattern.compile("\\b(\\d+)(st|nd|rd|th)\\b");
    private static final Pattern DECADE = Pattern.compile("\\b(1[1-9]|20)([0-9])0'?s\\b");
    private static final Pattern TIME = Pattern.compile("\\b(\\d{1,2}):(\\d{2})\\b");
    private static final Pattern YEAR = Pattern.compile("\\b(1[1-9]\\d\\d|20\\d\\d)\\b(?![.,]\\d)");
    private static final Pattern DECIMAL = Pattern.compile("(?<![\\d.])(\\d+)\\.(\\d+)\\b");
    private static final Pattern INTEGER = Pattern.compile("\\d+");
    private static final Pattern NOT_CONTRACTION = Pattern.compile("\\b([a-z]+)n't\\b");
    private static final Pattern SUFFIX_CONTRACTION = Pattern.compile("\\b([a-z]+)'(re|ve|ll|d)\\b");
    private static final Pattern WORD_WITH_APOSTROPHE = Pattern.compile("[a-z]+(?:'[a-z]+)+|'[a-z]+");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String normalize(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        t = t.replace('\u2019', '\'').replace('\u2018', '\'').replace('`', '\'');
        t = replace(MULTI_DOT_ABBREVIATION, t, m -> switch (m.group(1)) {
            case "e.g" -> " for example ";
            case "i.e" -> " that is ";
            case "a.m" -> " a m ";
            case "p.m" -> " p m ";
            case "u.s" -> " u s ";
            default -> " u k ";
        });
        t = replace(DOTTED_ABBREVIATION, t, m -> ABBREVIATIONS.get(m.group(1)));
        t = replace(TITLE_WITHOUT_DOT, t, m -> ABBREVIATIONS.get(m.group(1)));
        t = THOUSANDS_SEPARATOR.matcher(t).replaceAll("");
        t = replace(MONEY, t, EnglishNormalizer::money);
        t = replace(PERCENT, t, m -> " " + number(m.group(1)) + " percent ");
        t = replace(ORDINAL, t, m -> " " + NumberWords.ordinal(Long.parseLong(m.group(1))) + " ");
        t = replace(DECADE, t, m -> " " + decade(Integer.parseInt(m.group(1) + m.group(2) + "0")) + " ");
        t = replace(TIME, t, m -> " " + time(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) + " ");
        t = replace(YEAR, t, m -> " " + NumberWords.year(Integer.parseInt(m.group(1))) + " ");
        t = replace(DECIMAL, t, m -> " " + number(m.group(0)) + " ");
        t = replace(INTEGER, t, m -> " " + integer(m.group()) + " ");
        t = t.replace("&", " and ").replace("+", " plus ").replace("@", " at ");
        t = replace(WORD_WITH_APOSTROPHE, t, m -> expandContraction(m.group()));
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isLetterOrDigit(c) || Character.isWhitespace(c)) {
                sb.append(c);
            } else if (c == '\'' && i > 0 && i + 1 < t.length() && Character.isLetter(t.charAt(i - 1))
                    && Character.isLetter(t.charAt(i + 1))) {
                sb.append(c); // possessive or o'clock: kept, as in seed-tts-eval
            } else {
                sb.append(' ');
            }
        }
        return sb.toString().strip().replaceAll("\\s+", " ");
    }

    private static String expandContraction(String word) {
        String fixed = CONTRACTIONS.get(word);
        if (fixed != null) return fixed;
        Matcher not = NOT_CONTRACTION.matcher(word);
        if (not.matches()) return not.group(1) + " not";
        Matcher suffix = SUFFIX_CONTRACTION.matcher(word);
        if (suffix.matches()) {
            String full = switch (suffix.group(2)) {
                case "re" -> "are";
                case "ve" -> "have";
                case "ll" -> "will";
                default -> "would";
            };
            return suffix.group(1) + " " + full;
        }
        return word;
    }

    private static String money(Matcher m) {
        String symbol = m.group(1);
        long whole = Long.parseLong(m.group(2));
        String scale = m.group(4);
        String unit = CURRENCY.get(symbol);
        StringBuilder sb = new StringBuilder(" ");
        if (scale != null) {
            sb.append(m.group(3) == null ? NumberWords.cardinal(whole) : number(m.group(2) + "." + m.group(3)));
            sb.append(' ').append(scale).append(' ').append(plural(unit, symbol, 2));
            return sb.append(' ').toString();
        }
        sb.append(NumberWords.cardinal(whole)).append(' ').append(plural(unit, symbol, whole));
        if (m.group(3) != null) {
            int cents = Integer.parseInt(m.group(3).length() == 1 ? m.group(3) + "0" : m.group(3));
            if (cents > 0) {
                sb.append(' ').append(NumberWords.cardinal(cents)).append(' ').append(plural(CENTS.get(symbol), symbol, cents));
            }
        }
        return sb.append(' ').toString();
    }

    private static String plural(String unit, String symbol, long count) {
        if (count == 1 || symbol.equals("¥")) return unit;
        return unit.equals("penny") ? "pence" : unit + "s";
    }

    private static String decade(int decadeStart) {
        String year = NumberWords.year(decadeStart);
        if (year.endsWith("ty")) return year.substring(0, year.length() - 1) + "ies";
        if (year.endsWith("hundred") || year.endsWith("thousand")) return year + "s";
        return year + "s";
    }

    private static String time(int hours, int minutes) {
        if (hours > 24 || minutes > 59) {
            return integer(Integer.toString(hours)) + " " + integer(String.format("%02d", minutes));
        }
        if (minutes == 0) return NumberWords.cardinal(hours) + " o'clock";
        return NumberWords.cardinal(hours) + " " + (minutes < 10 ? "oh " + NumberWords.cardinal(minutes)
                : NumberWords.cardinal(minutes));
    }

    /** "3.5" → "three point five"; "3" → "three". */
    private static String number(String s) {
        int dot = s.indexOf('.');
        if (dot < 0) return integer(s);
        return integer(s.substring(0, dot)) + " point " + NumberWords.digits(s.substring(dot + 1));
    }

    /** A digit string as a cardinal; leading zeros and very long strings are read digit by digit. */
    private static String integer(String digits) {
        if ((digits.length() > 1 && digits.charAt(0) == '0') || digits.length() > 15) {
            return NumberWords.digits(digits);
        }
        return NumberWords.cardinal(Long.parseLong(digits));
    }

    private static String replace(Pattern p, String text, java.util.function.Function<Matcher, String> f) {
        Matcher m = p.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(f.apply(m)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
