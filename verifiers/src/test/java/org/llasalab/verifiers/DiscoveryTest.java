package org.llasalab.verifiers;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llasalab.verifiers.wer.AsrBackends;
import org.llasalab.verify.Verifiers;

/** Every type this module ships is found through ServiceLoader. */
class DiscoveryTest {
    @Test
    void everyVerifierTypeIsRegistered() {
        assertTrue(Verifiers.types().containsAll(List.of("wer", "sim", "emotion", "composite")), Verifiers.types().toString());
        Verifiers.descriptions().forEach((type, description) -> assertFalse(description.isBlank(), type));
        assertEquals("org.llasalab.verifiers.wer.WerVerifierProvider", Verifiers.provider("wer").getClass().getName());
        assertEquals("org.llasalab.verifiers.sim.SimVerifierProvider", Verifiers.provider("sim").getClass().getName());
        assertEquals("org.llasalab.verifiers.emotion.EmotionVerifierProvider", Verifiers.provider("emotion").getClass().getName());
        assertEquals("org.llasalab.verifiers.composite.CompositeVerifierProvider",
                Verifiers.provider("composite").getClass().getName());
    }

    @Test
    void everyAsrBackEndIsRegistered() {
        assertTrue(AsrBackends.names().contains("whisper"), AsrBackends.names().toString());
    }
}
