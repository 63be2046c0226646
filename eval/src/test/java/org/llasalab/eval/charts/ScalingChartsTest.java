package org.llasalab.eval.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.llasalab.eval.experiment.FakeExecutor;
import org.llasalab.eval.experiment.ResultsFolder;
import org.llasalab.eval.experiment.TestSupport;
import org.llasalab.eval.results.ResultTables;
import org.llasalab.eval.run.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * The x field of a scaling chart is what its points are placed by: with the fake executor every utterance
 * of a budget-b cell decodes 10 b tokens, and aggregate.csv holds a cell's total over its n = 5 utterances,
 * so {@code --x decode_tokens} must move every point from log2(b) to log2(10 b n), and the axis must say so.
 */
class ScalingChartsTest {
    @TempDir
    Path dir;

    @Test
    void theXFieldMovesThePoints() throws Exception {
        Path out = dir.resolve("results");
        TestSupport.runner(new FakeExecutor(), Progress.silent())
                .run(TestSupport.read(dir, TestSupport.smallExperiment("none")), out);
        Table aggregate = ResultTables.read(new ResultsFolder(out).file(ResultsFolder.AGGREGATE_CSV));
        Table bon = aggregate.where(aggregate.stringColumn("strategy").isEqualTo("bon")
                .and(aggregate.stringColumn("metric").isEqualTo("wer")));

        XYChart byBudget = ScalingCharts.scalingPanel(bon, "bon", "wer", "budget", "lower");
        XYChart byTokens = ScalingCharts.scalingPanel(bon, "bon", "wer", "decode_tokens", "lower");
        double[] budgets = xData(byBudget, "s");
        double[] tokens = xData(byTokens, "s");
        assertArrayEquals(new double[] {0, 1, 2}, budgets, 1e-12, "log2 of budgets 1, 2, 4");
        double[] expected = new double[budgets.length];
        for (int i = 0; i < budgets.length; i++) expected[i] = budgets[i] + Math.log(10 * 5) / Math.log(2);
        assertArrayEquals(expected, tokens, 1e-9, "log2 of 50, 100, 200 decoded tokens in all");
        // the y values (means) do not depend on the x field
        assertArrayEquals(yData(byBudget, "s"), yData(byTokens, "s"), 0);
        assertEquals("budget (log2 scale)", byBudget.getXAxisTitle());
        assertEquals("decode_tokens (log2 scale)", byTokens.getXAxisTitle());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ScalingCharts.drawAll(new ResultsFolder(out), "no_such_column"));
        assertTrue(bad.getMessage().contains("decode_tokens"), bad.getMessage());
        List<Path> drawn = ScalingCharts.drawAll(new ResultsFolder(out), "decode_tokens");
        assertTrue(drawn.stream().anyMatch(p -> p.getFileName().toString().equals("scaling-bon")), drawn.toString());
    }

    private static double[] xData(XYChart chart, String series) {
        return chart.getSeriesMap().get(series).getXData();
    }

    private static double[] yData(XYChart chart, String series) {
        return chart.getSeriesMap().get(series).getYData();
    }
}
