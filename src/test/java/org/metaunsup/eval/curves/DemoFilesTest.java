package org.metaunsup.eval.curves;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of {@code demo}: columns, numbers and the summary. */
class DemoFilesTest {

    static DemoStudy.Curves curves() {
        List<InnerLoop.Point> a = List.of(new InnerLoop.Point(0, 2.0, 0.1), new InnerLoop.Point(10, 1.0, 0.5));
        List<InnerLoop.Point> b = List.of(new InnerLoop.Point(0, 2.0, 0.3), new InnerLoop.Point(10, 0.5, 0.7));
        List<InnerLoop.Point> r = List.of(new InnerLoop.Point(0, 2.0, 0.2), new InnerLoop.Point(10, 2.0, 0.2));
        return new DemoStudy.Curves(List.of(a, b), List.of(r, r));
    }

    @Test
    void csvHasOneRowPerStepWithMeanAndStandardErrorOverTasks() {
        List<String> lines = DemoFiles.csv(curves()).lines().toList();
        assertEquals(DemoFiles.HEADER, lines.get(0));
        assertEquals("step,rule_accuracy_mean,rule_accuracy_se,random_accuracy_mean,random_accuracy_se,"
                + "rule_meta_loss_mean,random_meta_loss_mean", lines.get(0), "the columns are the published ones");
        assertEquals("0,0.20000,0.10000,0.20000,0.00000,2.00000,2.00000", lines.get(1));
        assertEquals("10,0.60000,0.10000,0.20000,0.00000,0.75000,2.00000", lines.get(2));
    }

    @Test
    void writeLeavesCsvFigureAndSummary(@TempDir Path tmp) throws Exception {
        String summary = DemoFiles.write(tmp, curves(), new DemoFiles.Description("learned rule x", "mnist14", 10));
        assertEquals(summary, Files.readString(tmp.resolve("summary.txt")));
        assertTrue(summary.startsWith("demo: learned rule x on mnist14, 10 inner steps, 2 seeds\n"), summary);
        assertTrue(summary.contains("after 10 steps: 0.600 ± 0.100 (random features: 0.200 ± 0.000"), summary);
        assertEquals(DemoFiles.csv(curves()), Files.readString(tmp.resolve("curve.csv")));
        assertTrue(Files.size(tmp.resolve("curve.png")) > 1000);
        CurveFilesTest.assertNoTempFiles(tmp);
    }

    @Test
    void noCompletedTaskIsNoFile(@TempDir Path tmp) {
        assertThrows(IllegalArgumentException.class, () -> DemoFiles.write(tmp,
                new DemoStudy.Curves(List.of(), List.of()), new DemoFiles.Description("r", "d", 1)));
    }
}
