package org.metaunsup.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaunsup.eval.CurvePoint;
import org.metaunsup.eval.curves.CurveTable;
import org.metaunsup.eval.curves.InnerLoop;
import org.metaunsup.export.LearnedRule;
import org.metaunsup.unroll.MetaGradient;

/** The notebook-equivalent examples run and return sensible numbers (tiny settings). */
class ExamplesTest {

    @Test
    void oneInnerStepExampleReturnsACurveOfAccuracies() {
        List<InnerLoop.Point> curve = OneInnerStepExample.run("tiny", 4, 1);
        assertEquals(0, curve.get(0).step());
        assertEquals(4, curve.get(curve.size() - 1).step());
        for (InnerLoop.Point p : curve) {
            assertTrue(Double.isFinite(p.metaLoss()) && p.metaLoss() > 0);
            assertTrue(p.queryAccuracy() >= 0 && p.queryAccuracy() <= 1);
        }
    }

    @Test
    void evaluateRuleExampleScoresTheRuleAndTheBaselineOnANewArchitecture() {
        CurveTable t = EvaluateRuleExample.run("tiny", "random", "5x3,4", 2, 2);
        assertEquals(List.of("rule-init", "none"), t.methods());
        for (String m : t.methods()) {
            assertEquals(List.of(0, 1, 2), t.rows(m).stream().map(r -> r.step()).toList());
            for (var row : t.rows(m)) {
                double acc = row.values().get(CurvePoint.Metric.RIDGE_ACCURACY).mean();
                assertTrue(acc >= 0 && acc <= 1, m + " " + acc);
                assertTrue(Double.isFinite(row.values().get(CurvePoint.Metric.META_LOSS).mean()));
            }
        }
    }

    @Test
    void metaTrainTinyExampleWritesMetricsCheckpointsAndThetaFiles(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        List<Double> losses = MetaTrainTinyExample.run(run, 3);
        assertEquals(3, losses.size());
        losses.forEach(l -> assertTrue(Double.isFinite(l) && l > 0, "meta-loss " + l));
        assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size(), "header + 3 steps");
        try (var files = Files.list(run.resolve("theta"))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".theta.fb")), "a theta file per checkpoint");
        }
    }

    @Test
    void metaGradientExampleGivesAFiniteNonZeroGradientForEveryTheta() {
        MetaGradient mg = MetaGradientExample.run("tiny", 2, 1);
        assertTrue(mg.isFinite());
        assertEquals(2, mg.stepLoss().length);
        assertTrue(mg.globalNorm() > 0);
        assertEquals(72, mg.gradient().values().size());
    }

    @Test
    void exportAndReloadExampleReloadsAnIdenticalRule(@TempDir Path tmp) throws Exception {
        ExportAndReloadExample.Result r = ExportAndReloadExample.run(tmp, 2, 1);
        assertEquals(0.0, r.maxDifference(), "reloaded rule trains the other architecture identically");
        assertEquals(LearnedRule.load(r.file()).theta().values().size(), r.thetaTensors());
        assertEquals(0, r.card().outerStep());
        assertEquals(32, r.card().topUnits());
        assertTrue(r.bytes() > 10_000 && Files.exists(tmp.resolve("card.json")));
        assertTrue(Files.readString(tmp.resolve("summary.txt")).contains("max |W difference| = 0"));
    }

    @Test
    void dl4jPipelineExampleBeatsChanceWithTenLabelsPerClass(@TempDir Path tmp) throws Exception {
        Dl4jPipelineExample.Result r = Dl4jPipelineExample.run(LearnedRule.metaInitialised("small", 1), 10, 1000, 1,
                tmp);
        System.out.println(Files.readString(tmp.resolve("summary.txt")));
        assertEquals(100, r.labelled());
        assertTrue(r.transferAccuracy() > 0.2, "chance is 0.1: " + r);
        assertEquals(r.transferAccuracy(), r.reloadedAccuracy(), "ModelSerializer round trip");
        assertTrue(r.populationAccuracy() > 0.2 && r.batchAccuracy() > 0.2, r.toString());
        assertTrue(Files.size(tmp.resolve("transfer.zip")) > 1000);
    }
}
