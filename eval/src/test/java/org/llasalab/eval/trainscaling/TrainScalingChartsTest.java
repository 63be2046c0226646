package org.llasalab.eval.trainscaling;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llasalab.eval.trainscaling.TrainScalingCharts.Line;
import org.llasalab.eval.trainscaling.TrainScalingCharts.Point;

class TrainScalingChartsTest {
    /**
     * Two runs of one size and data budget (two seeds, or two recipes) put two points at the same x of one
     * line; the chart draws both with their intervals instead of failing on a repeated series name.
     */
    @Test
    void runsOfTheSameSizeAndBudgetShareALine(@TempDir Path dir) throws Exception {
        List<Point> points = List.of(new Point(1_066_880, 0.78, 0.75, 0.81), new Point(1_066_880, 0.60, 0.57, 0.63),
                new Point(2_577_600, 0.71, 0.68, 0.74));
        Map<String, List<Line>> lines = Map.of("wer", List.of(new Line("sample", "4M tokens", points),
                new Line("sample", "8M tokens", List.of(new Point(1_066_880, 0.35, 0.31, 0.38)))));
        TrainScalingCharts.qualityVsParameters(lines, Map.of("wer", "lower"), dir.resolve("quality-vs-parameters"));
        assertTrue(Files.size(dir.resolve("quality-vs-parameters.png")) > 0);
        assertTrue(Files.size(dir.resolve("quality-vs-parameters.svg")) > 0);
    }
}
