package org.llasalab.eval.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepExpanderTest {
    @TempDir
    Path dir;

    @Test
    void productOfModelsStrategiesBudgetsAndSeeds() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none").replace("seeds: [7]", "seeds: [7, 8]"));
        List<Cell> cells = new SweepExpander().expand(e);
        assertEquals(2 * (1 + 3 + 2) * 2, cells.size());
        assertEquals(cells.size(), new HashSet<>(cells.stream().map(Cell::id).toList()).size(), "ids are unique");
        Cell first = cells.getFirst();
        assertEquals("s / sample / budget 1 / seed 7", first.label());
        assertEquals("s / sample / budget 1 / seed 8", cells.get(1).label());
        assertEquals("s / bon / budget 1 / seed 7", cells.get(2).label());
        assertEquals("l / beam / budget 2 / seed 8", cells.getLast().label());
        assertEquals(4, cells.stream().filter(c -> c.strategy().name().equals("bon") && c.budget() == 4).count());
        assertEquals(List.of("wer"), cells.get(2).guides().stream().map(Experiment.VerifierSpec::name).toList());
    }

    @Test
    void zipGroupsVaryTogether() throws Exception {
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none")
                .replace("seeds: [7]", "seeds: [7, 8]\nsweep: {zip: [[model, seed]]}"));
        List<Cell> cells = new SweepExpander().expand(e);
        assertEquals(2 * (1 + 3 + 2), cells.size());
        for (Cell c : cells) {
            assertEquals(c.model().name().equals("s") ? 7L : 8L, c.seed(), c.label());
        }
    }

    @Test
    void idsAreStableAndChangeWithConfigurationOrModelFiles() throws Exception {
        Path model = dir.resolve("tiny-s");
        Files.createDirectories(model);
        Files.writeString(model.resolve("config.json"), "{\"hidden_size\": 8}");
        Files.write(model.resolve("model.safetensors"), new byte[200_000]);
        Experiment e = TestSupport.read(dir, TestSupport.smallExperiment("none"));
        List<String> ids = new SweepExpander().expand(e).stream().map(Cell::id).toList();
        assertEquals(ids, new SweepExpander().expand(TestSupport.read(dir, TestSupport.smallExperiment("none")))
                .stream().map(Cell::id).toList(), "same configuration, same ids");

        byte[] weights = new byte[200_000];
        weights[199_990] = 1; // in the tail the fingerprint reads
        Files.write(model.resolve("model.safetensors"), weights);
        List<Cell> retrained = new SweepExpander().expand(e);
        for (int i = 0; i < ids.size(); i++) {
            Cell c = retrained.get(i);
            if (c.model().name().equals("s")) assertNotEquals(ids.get(i), c.id(), c.label());
            else assertEquals(ids.get(i), c.id(), c.label());
        }

        Experiment hotter = TestSupport.read(dir, TestSupport.smallExperiment("none")
                .replace("seeds: [7]", "seeds: [7]\nsampling: {temperature: 0.9}"));
        List<String> hotterIds = new SweepExpander().expand(hotter).stream().map(Cell::id).toList();
        for (int i = 0; i < ids.size(); i++) assertNotEquals(retrained.get(i).id(), hotterIds.get(i));
    }

    @Test
    void quantizeIsPartOfACellOnlyWhenItConvertsTheWeights() throws Exception {
        String base = TestSupport.smallExperiment("none");
        List<String> ids = new SweepExpander().expand(TestSupport.read(dir, base)).stream().map(Cell::id).toList();
        String none = base.replace("s: {path: tiny-s, codec: tiny-codec}", "s: {path: tiny-s, codec: tiny-codec, quantize: none}");
        assertEquals(ids, new SweepExpander().expand(TestSupport.read(dir, none)).stream().map(Cell::id).toList(),
                "quantize: none is the default: the cells keep their ids");
        Experiment q8 = TestSupport.read(dir, base.replace("s: {path: tiny-s, codec: tiny-codec}",
                "s: {path: tiny-s, codec: tiny-codec, quantize: q8}"));
        assertEquals("q8", q8.models().get("s").quantize());
        List<Cell> cells = new SweepExpander().expand(q8);
        for (int i = 0; i < ids.size(); i++) {
            Cell c = cells.get(i);
            if (c.model().name().equals("s")) assertNotEquals(ids.get(i), c.id(), c.label());
            else assertEquals(ids.get(i), c.id(), c.label());
        }
    }

    @Test
    void fingerprintReadsOnlyTheEdgesOfLargeFiles() throws Exception {
        Path m = dir.resolve("m");
        Files.createDirectories(m);
        byte[] w = new byte[1_000_000];
        Files.write(m.resolve("w.safetensors"), w);
        String a = ModelFingerprint.of(m);
        w[500_000] = 7; // the middle is not read: same size, same edges
        Files.write(m.resolve("w.safetensors"), w);
        assertEquals(a, ModelFingerprint.of(m));
        Files.write(m.resolve("w.safetensors"), new byte[1_000_001]);
        assertNotEquals(a, ModelFingerprint.of(m));
        assertEquals(ModelFingerprint.MISSING, ModelFingerprint.of(dir.resolve("absent")));
    }
}
