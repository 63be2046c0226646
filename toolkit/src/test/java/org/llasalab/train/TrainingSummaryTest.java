package org.llasalab.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSummaryTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAndWritesAnUnevaluatedRunsLossAsNull() throws Exception {
        TrainingSummary s = new TrainingSummary(2_577_600, 2159, 6_239_243, 4_000_208, 1.068933e14, 6161.71, 1.355444);
        s.write(dir);
        assertEquals(s, TrainingSummary.read(dir));
        assertTrue(TrainingSummary.exists(dir));
        String json = Files.readString(dir.resolve(TrainingSummary.FILE));
        assertTrue(json.contains("\"speech_tokens\" : 4000208"), json);

        TrainingSummary unevaluated = new TrainingSummary(10, 1, 2, 3, 4.0, 5.0, Double.NaN);
        unevaluated.write(dir);
        assertTrue(Files.readString(dir.resolve(TrainingSummary.FILE)).contains("\"heldout_loss\" : null"));
        assertTrue(Double.isNaN(TrainingSummary.read(dir).heldoutLoss()));
        assertEquals(unevaluated.updates(), TrainingSummary.read(dir).updates());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "written atomically: no temp file left");
        }
    }

    @Test
    void aBadSummaryNamesItsFileAndEveryBadField() throws Exception {
        Path file = dir.resolve(TrainingSummary.FILE);
        Files.writeString(file, "{\"parameters\": 10, \"updates\": -1, \"tokens\": 2.5, \"flops\": \"many\","
                + " \"seconds\": 1, \"heldout_loss\": \"low\"}");
        IOException e = assertThrows(IOException.class, () -> TrainingSummary.read(dir));
        for (String part : new String[] {file.toString(), "'updates'", "'tokens'", "'speech_tokens'", "'flops'",
                "'heldout_loss'"}) {
            assertTrue(e.getMessage().contains(part), part + " in " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("'parameters'") || e.getMessage().contains("'seconds'"), e.getMessage());
        Files.writeString(file, "{\"parameters\": ");
        e = assertThrows(IOException.class, () -> TrainingSummary.read(dir));
        assertTrue(e.getMessage().startsWith(file + ": unreadable training summary"), e.getMessage());
        Files.writeString(file, "[1, 2]");
        e = assertThrows(IOException.class, () -> TrainingSummary.read(dir));
        assertTrue(e.getMessage().startsWith(file + ": a training summary is a JSON object"), e.getMessage());
    }
}
