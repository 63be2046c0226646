package org.llasalab.verifiers.wer;

/** English words for numbers: cardinals, ordinals, years and digit strings (no "and", no hyphens). */
final class NumberWords {
    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety"};
    private static final String[] SCALES = {"", "thousand", "million", "billion", "trillion", "quadrillion",
            "quintillion"};

    private NumberWords() {}

    /** 0 → "zero", 21 → "twenty one", 1005 → "one thousand five". */
    static String cardinal(long n) {
        if (n < 0) return "minus " + cardinal(-n);
        if (n == 0) return "zero";
        StringBuilder sb = new StringBuilder();
        int scale = 0;
        String out = "";
        while (n > 0) {
            int chunk = (int) (n % 1000);
            if (chunk > 0) {
                String words = belowThousand(chunk) + (scale > 0 ? " " + SCALES[scale] : "");
                out = out.isEmpty() ? words : words + " " + out;
            }
            n /= 1000;
            scale++;
        }
        sb.append(out);
        return sb.toString();
    }

    private static String belowThousand(int n) {
        StringBuilder sb = new StringBuilder();
        if (n >= 100) {
            sb.append(ONES[n / 100]).append(" hundred");
            n %= 100;
            if (n > 0) sb.append(' ');
        }
        if (n >= 20) {
            sb.append(TENS[n / 10]);
            if (n % 10 > 0) sb.append(' ').append(ONES[n % 10]);
        } else if (n > 0) {
            sb.append(ONES[n]);
        }
        return sb.toString();
    }

    /** 1 → "first", 22 → "twenty second", 100 → "one hundredth". */
    static String ordinal(long n) {
        String c = cardinal(n);
        int space = c.lastIndexOf(' ');
        String head = space < 0 ? "" : c.substring(0, space + 1);
        String last = c.substring(space + 1);
        String ord = switch (last) {
            case "one" -> "first";
            case "two" -> "second";
            case "three" -> "third";
            case "five" -> "fifth";
            case "eight" -> "eighth";
            case "nine" -> "ninth";
            case "twelve" -> "twelfth";
            default -> last.endsWith("y") ? last.substring(0, last.length() - 1) + "ieth" : last + "th";
        };
        return head + ord;
    }

    /**
     * A four-digit year as spoken: 1990 → "nineteen ninety", 1905 → "nineteen oh five", 1900 →
     * "nineteen hundred", 2000 → "two thousand", 2007 → "two thousand seven", 2019 → "twenty nineteen".
     */
    static String year(int y) {
        int hi = y / 100;
        int lo = y % 100;
        if (y % 1000 < 10 && y >= 2000 && y < 2010) {
            return cardinal(y);
        }
        if (lo == 0) {
            return y % 1000 == 0 ? cardinal(y) : cardinal(hi) + " hundred";
        }
        return cardinal(hi) + " " + (lo < 10 ? "oh " + cardinal(lo) : cardinal(lo));
    }

    /** Each digit as a word: "07" → "zero seven". */
    static String digits(String digits) {
        StringBuilder sb = new StringBuilder();
        for (char ch : digits.toCharArray()) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(ONES[ch - '0']);
        }
        return sb.toString();
    }
}
