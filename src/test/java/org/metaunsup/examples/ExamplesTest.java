package org.metaunsup.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.metaunsup.eval.InnerLoop;
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
    void metaGradientExampleGivesAFiniteNonZeroGradientForEveryTheta() {
        MetaGradient mg = MetaGradientExample.run("tiny", 2, 1);
        assertTrue(mg.isFinite());
        assertEquals(2, mg.stepLoss().length);
        assertTrue(mg.globalNorm() > 0);
        assertEquals(72, mg.gradient().values().size());
    }
}
