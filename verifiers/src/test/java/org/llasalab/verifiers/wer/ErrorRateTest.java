package org.llasalab.verifiers.wer;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorRateTest {
    @Test
    void identicalTextHasNoErrors() {
        EditCounts c = ErrorRate.wer("the cat sat", "the cat sat");
        assertEquals(new EditCounts(0, 0, 0, 3), c);
        assertEquals(0.0, c.rate());
        assertEquals(3, c.hits());
    }

    @Test
    void emptyReferenceAndHypothesis() {
        assertEquals(new EditCounts(0, 0, 0, 0), ErrorRate.wer("", "   "));
        assertEquals(0.0, ErrorRate.wer("", "").rate());
    }

    @Test
    void emptyReferenceCountsInsertions() {
        EditCounts c = ErrorRate.wer("", "hello there");
        assertEquals(new EditCounts(0, 0, 2, 0), c);
        assertEquals(2.0, c.rate(), "no denominator: the rate is the number of inserted words");
    }

    @Test
    void emptyHypothesisIsAllDeletions() {
        EditCounts c = ErrorRate.wer("one two three four", "");
        assertEquals(new EditCounts(0, 4, 0, 4), c);
        assertEquals(1.0, c.rate());
    }

    @Test
    void allInsertionsAroundAMatch() {
        EditCounts c = ErrorRate.wer("hello", "oh hello there my friend");
        assertEquals(new EditCounts(0, 0, 4, 1), c);
        assertEquals(4.0, c.rate());
    }

    @Test
    void mixedEdits() {
        // b→x (S), d deleted (D), h inserted (I): 3 edits, where substituting along the diagonal costs 5
        EditCounts c = ErrorRate.wer("a b c d e f g", "a x c e f g h");
        assertEquals(new EditCounts(1, 1, 1, 7), c);
        assertEquals(3 / 7.0, c.rate(), 1e-12);
        assertEquals(List.of(Alignment.Op.MATCH, Alignment.Op.SUBSTITUTE, Alignment.Op.MATCH, Alignment.Op.DELETE,
                Alignment.Op.MATCH, Alignment.Op.MATCH, Alignment.Op.MATCH, Alignment.Op.INSERT),
                Alignment.align(ErrorRate.words("a b c d e f g"), ErrorRate.words("a x c e f g h")));
    }

    @Test
    void substitutionPreferredOverDeletePlusInsert() {
        assertEquals(new EditCounts(2, 0, 0, 2), ErrorRate.wer("a b", "c d"));
    }

    @Test
    void characterErrorRateIgnoresSpaces() {
        EditCounts c = ErrorRate.cer("你 好 世 界", "你好世介");
        assertEquals(new EditCounts(1, 0, 0, 4), c);
        assertEquals(new EditCounts(1, 0, 1, 3), ErrorRate.cer("cat", "cuts"));
    }

    @Test
    void aggregateReportsMeanAndCorpusRates() {
        WerAggregate agg = new WerAggregate();
        agg.add(ErrorRate.wer("a", "b"));              // 1 edit / 1 word
        agg.add(ErrorRate.wer("a b c d e f g h i", "a b c d e f g h i")); // 0 / 9
        assertEquals(0.5, agg.meanUtteranceRate(), 1e-12);
        assertEquals(0.1, agg.corpusRate(), 1e-12);
        assertEquals(2, agg.utterances());
        assertEquals(10, agg.referenceLength());
        assertTrue(Double.isNaN(new WerAggregate().meanUtteranceRate()));
    }
}
