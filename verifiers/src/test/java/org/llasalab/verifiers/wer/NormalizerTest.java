package org.llasalab.verifiers.wer;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NormalizerTest {
    private final TextNormalizer seed = TextNormalizer.byName("seed-tts-eval");
    private final TextNormalizer english = TextNormalizer.byName("english");

    @ParameterizedTest(name = "seed-tts-eval: [{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Hello, World!|hello world",
        "Don't stop.|don't stop",
        "It's 50 dollars.|it's 50 dollars",
        "well-known   fact|wellknown fact",
        "“Quoted” text…|quoted text",
        "Dr. Smith (PhD) said: yes; no?|dr smith phd said yes no",
        "你好，世界！|你 好 世 界",
        "Mixed 中文 text|mixed 中 文 text",
        "100% sure, $5|100 sure 5",
    })
    void seedTtsEval(String in, String out) {
        assertEquals(out, seed.normalize(in));
    }

    @ParameterizedTest(name = "english: [{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "50|fifty",
        "I have 3 cats.|i have three cats",
        "twenty-one|twenty one",
        "21|twenty one",
        "105|one hundred five",
        "1,000 people|one thousand people",
        "2,345,678|two million three hundred forty five thousand six hundred seventy eight",
        "In 1990 we met.|in nineteen ninety we met",
        "1905|nineteen oh five",
        "1900|nineteen hundred",
        "2000|two thousand",
        "2007|two thousand seven",
        "2019|twenty nineteen",
        "the 1980s|the nineteen eighties",
        "$5|five dollars",
        "$1|one dollar",
        "$5.50|five dollars fifty cents",
        "$3 million|three million dollars",
        "£20|twenty pounds",
        "50%|fifty percent",
        "3.5 kilos|three point five kilos",
        "3rd|third",
        "1st and 2nd|first and second",
        "21st century|twenty first century",
        "12th|twelfth",
        "Dr. Smith|doctor smith",
        "Mr. and Mrs. Jones|mister and missus jones",
        "St. Louis|saint louis",
        "e.g. apples|for example apples",
        "don't|do not",
        "I can't go|i can not go",
        "won't|will not",
        "I'm sure they're here|i am sure they are here",
        "we've|we have",
        "she'll|she will",
        "It’s fine|it is fine",
        "John's book|john's book",
        "at 3:30|at three thirty",
        "at 7:00|at seven o'clock",
        "Rock & roll!|rock and roll",
        "007|zero zero seven",
        "Hello, World!|hello world",
    })
    void english(String in, String out) {
        assertEquals(out, english.normalize(in));
    }

    @Test
    void whitespaceCollapses() {
        assertEquals("multiple spaces and lines", seed.normalize("  Multiple\tspaces\n\nand   lines  "));
        assertEquals("multiple spaces and lines", english.normalize("  Multiple\tspaces\n\nand   lines  "));
    }

    @Test
    void englishMakesDigitsAndWordsMatch() {
        assertEquals(0.0, ErrorRate.wer(english.normalize("I paid fifty dollars in nineteen ninety."),
                english.normalize("I paid $50 in 1990")).rate());
        assertTrue(ErrorRate.wer(seed.normalize("I paid fifty dollars in nineteen ninety."),
                seed.normalize("I paid $50 in 1990")).rate() > 0.5, "the protocol-exact form does not");
    }

    @Test
    void unknownNormalizerListsKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextNormalizer.byName("x"));
        assertTrue(e.getMessage().contains("seed-tts-eval") && e.getMessage().contains("english"), e.getMessage());
    }
}
