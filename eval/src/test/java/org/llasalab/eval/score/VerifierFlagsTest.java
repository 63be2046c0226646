package org.llasalab.eval.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llasalab.eval.experiment.Experiment.VerifierSpec;

class VerifierFlagsTest {
    @Test
    void typesNamesAndParameters() {
        List<VerifierSpec> specs = VerifierFlags.parse(List.of("wer", "cer=wer", " sim = sim "),
                List.of("cer.unit=character", "wer.asr=whisper", "sim.model=a=b.onnx"));
        assertEquals(List.of(
                new VerifierSpec("wer", "wer", Map.of("asr", "whisper")),
                new VerifierSpec("cer", "wer", Map.of("unit", "character")),
                new VerifierSpec("sim", "sim", Map.of("model", "a=b.onnx"))), specs);
    }

    @Test
    void badEntriesAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VerifierFlags.parse(List.of("wer", "wer"), List.of()))
                .getMessage().contains("'wer' is used twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VerifierFlags.parse(List.of("=wer"), List.of()))
                .getMessage().contains("'=wer' must be 'type' or 'name=type'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VerifierFlags.parse(List.of("wer"), List.of("asr=whisper")))
                .getMessage().contains("must be name.key=value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VerifierFlags.parse(List.of("wer"), List.of("sim.model=x")))
                .getMessage().contains("names verifier 'sim', but --verifiers has only: wer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VerifierFlags.parse(List.of(), List.of()))
                .getMessage().contains("no verifier"));
    }
}
