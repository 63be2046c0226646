package org.llasalab.microworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFrontEndTest {
    @TempDir Path dir;

    @Test
    void normalisesCaseNumbersAndPunctuation() {
        assertEquals("it's twenty one past three", SpokenForm.normalise("It's 21 past THREE!"));
        assertEquals("one thousand nine hundred eighty four and all that",
                SpokenForm.normalise("1,984 & all -- that..."));
        assertEquals("a well known fact", SpokenForm.normalise("\u201cA well-known fact.\u201d"));
        assertEquals("twelve million seven", SpokenForm.spell(12_000_007));
        assertTrue(SpokenForm.words("an x86 box").isEmpty());
        assertTrue(SpokenForm.words("the 3rd time").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> SpokenForm.normalise("version 2b"));
    }

    @Test
    void splitsEspeakMnemonicsWithStressAsSymbols() {
        assertEquals(List.of("h", "@", "l", "'", "oU"), Lexicon.symbols("h_@_l_'oU"));
        assertEquals(List.of(",", "a", "b", "'", "'", "c"), Lexicon.symbols(",a_b_''c"));
    }

    @Test
    void shippedFrontEndCoversItsInventoryAndRejectsUnknownWords() throws Exception {
        MicroTextFrontEnd fe = MicroTextFrontEnd.shipped();
        assertEquals(MicroTextFrontEnd.WORD_BOUNDARY, fe.symbols().get(0));
        assertTrue(fe.lexicon().entries().size() > 1000, "lexicon has " + fe.lexicon().entries().size() + " words");
        List<String> p = fe.phonemes("The children were playing.");
        assertEquals(3, p.stream().filter(MicroTextFrontEnd.WORD_BOUNDARY::equals).count(), p.toString());
        assertEquals(fe.lexicon().lookup("the"), p.subList(0, p.indexOf("|")));
        int[] ids = fe.ids("the children were playing");
        assertEquals(p.size(), ids.length);
        for (int i = 0; i < ids.length; i++) assertEquals(p.get(i), fe.symbols().get(ids[i]));
        Set<String> used = new HashSet<>();
        fe.lexicon().entries().values().forEach(used::addAll);
        used.add(MicroTextFrontEnd.WORD_BOUNDARY);
        assertEquals(new HashSet<>(fe.symbols()), used, "every inventory symbol is used and vice versa");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fe.phonemes("the xylophonist sang"));
        assertTrue(e.getMessage().contains("'xylophonist'"), e.getMessage());
    }

    @Test
    void frontEndRoundTripsThroughFilesAndReportsBadLines() throws Exception {
        Lexicon lex = new Lexicon(java.util.Map.of("cat", List.of("k", "'", "a", "t"), "a", List.of("a#")));
        MicroTextFrontEnd fe = new MicroTextFrontEnd(lex, MicroTextFrontEnd.inventory(lex));
        fe.write(dir);
        MicroTextFrontEnd back = MicroTextFrontEnd.load(dir);
        assertEquals(List.of("a#", "|", "k", "'", "a", "t"), back.phonemes("A cat"));
        assertEquals(fe.symbols(), back.symbols());
        Files.writeString(dir.resolve("lexicon.tsv"), "cat\tk a t\nbroken line\n");
        var e = assertThrows(java.io.IOException.class, () -> MicroTextFrontEnd.load(dir));
        assertTrue(e.getMessage().contains("lexicon.tsv:2"), e.getMessage());
        Files.writeString(dir.resolve("lexicon.tsv"), "cat\tk a Q\n");
        var e2 = assertThrows(java.io.IOException.class, () -> MicroTextFrontEnd.load(dir));
        assertTrue(e2.getMessage().contains("'Q'"), e2.getMessage());
        assertFalse(Files.exists(dir.resolve("missing")));
    }

    @Test
    void aModelFolderNamesItsFrontEndFoundThroughTheProviders() throws Exception {
        Lexicon lex = new Lexicon(java.util.Map.of("cat", List.of("k", "'", "a", "t"), "a", List.of("a#")));
        new MicroTextFrontEnd(lex, MicroTextFrontEnd.inventory(lex)).write(dir);
        assertEquals(null, org.llasalab.lm.prompt.TextFrontEnds.forModel(dir), "no llasa_frontend.json: plain text");
        Files.writeString(dir.resolve("llasa_frontend.json"), "{\"type\": \"micro-phonemes\", \"symbols_joined_by\": \"+\"}");
        assertEquals("a#+|+k+'+a+t", org.llasalab.lm.prompt.TextFrontEnds.forModel(dir).apply("A cat"));
        Files.writeString(dir.resolve("llasa_frontend.json"), "{\"type\": \"text\"}");
        assertEquals(null, org.llasalab.lm.prompt.TextFrontEnds.forModel(dir));
        Files.writeString(dir.resolve("llasa_frontend.json"), "{\"type\": \"klingon\"}");
        var e = assertThrows(java.io.IOException.class, () -> org.llasalab.lm.prompt.TextFrontEnds.forModel(dir));
        assertTrue(e.getMessage().contains("unknown text front end type 'klingon' (known: text, micro-phonemes)"),
                e.getMessage());
    }
}
