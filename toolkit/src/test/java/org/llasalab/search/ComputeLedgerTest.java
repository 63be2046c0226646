package org.llasalab.search;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComputeLedgerTest {
    @Test
    void addsFieldByFieldAndExposesStableNames() {
        ComputeLedger a = new ComputeLedger(1, 2, 3, 4, 5, 6, 7);
        ComputeLedger b = new ComputeLedger(10, 20, 30, 40, 50, 60, 70);
        ComputeLedger s = a.plus(b);
        assertEquals(new ComputeLedger(11, 22, 33, 44, 55, 66, 77), s);
        assertEquals(List.of("prefill_tokens", "decode_tokens", "lm_flops", "codec_seconds", "verifier_calls",
                "verifier_seconds", "wall_seconds"), List.copyOf(s.asMap().keySet()));
        assertEquals(List.of(11.0, 22.0, 33.0, 44.0, 55.0, 66.0, 77.0), List.copyOf(s.asMap().values()));
        assertEquals(33.0, s.get("lm_flops"));
        assertEquals(33, s.lmTokens());
        var e = assertThrows(IllegalArgumentException.class, () -> s.get("flops"));
        assertTrue(e.getMessage().contains("lm_flops"));
    }
}
