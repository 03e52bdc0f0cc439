package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

/**
 * One θ serves base models of any depth and of per-layer widths (docs/METHOD.md#evaluation architecture
 * generalisation); only the top width is tied to θ. Depths 1 to 5 with the {@code tiny} rule,
 * and θs built for other top widths, all build, run a K=2 unroll with finite outputs, and give a
 * finite meta-gradient.
 */
@ExtendWith(DoublePrecision.class)
class ArchitectureTest {

    @Test
    void depthsOneToFiveWithUnequalWidths() {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        int[][] shapes = {{16, 4}, {16, 7, 4}, {16, 9, 3, 4}, {16, 5, 8, 6, 4}, {16, 3, 10, 7, 5, 4}};
        ThetaSpec spec = UnrollFixture.spec(cfg, UnrollFixture.base(shapes[0]));
        Theta theta = Theta.init(spec, 91, DataType.DOUBLE);
        for (int[] shape : shapes) {
            BaseModelConfig base = UnrollFixture.base(shape);
            // the meta-gradient for the shallowest and a deep one (gradient builds cost seconds)
            boolean gradient = shape.length == 2 || shape.length == 5;
            run(cfg, base, theta, gradient);
        }
    }

    @Test
    void otherTopWidthsWithTheirOwnTheta() {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        for (int[] shape : new int[][] {{16, 6, 3}, {16, 5, 7}}) {
            BaseModelConfig base = UnrollFixture.base(shape);
            ThetaSpec spec = UnrollFixture.spec(cfg, base);
            assertTrue(spec.tensor("top.mix1.w").shape()[0] == base.topWidth(), "top block mixes the top units");
            run(cfg, base, Theta.init(spec, 92, DataType.DOUBLE), shape[2] == 3);
        }
        // a θ is tied to its top width
        ThetaSpec four = UnrollFixture.spec(cfg, cfg.base());
        assertThrows(IllegalArgumentException.class, () -> UnrollGraph.build(cfg.graph(), UnrollFixture.base(16, 6, 3), 1,
                Theta.init(four, 1, DataType.DOUBLE), false, DataType.DOUBLE));
    }

    private static void run(ExperimentConfig cfg, BaseModelConfig base, Theta theta, boolean gradient) {
        UnrollGraph g = UnrollGraph.build(cfg.graph(), base, 2, theta, true, DataType.DOUBLE);
        Map<String, INDArray> ph = UnrollFixture.inputs(cfg, base, 2, 93).placeholders(g);
        List<String> names = new ArrayList<>(g.outputPhiNames());
        names.addAll(g.stepLossNames());
        names.add(GraphNames.META_LOSS);
        Map<String, INDArray> out = g.sameDiff().output(ph, names);
        for (String n : names) {
            assertTrue(UnrollFixture.finite(out.get(n)), base.describe() + ": non-finite " + n);
        }
        for (int l = 1; l <= base.depth(); l++) {
            INDArray w = out.get(GraphNames.outPhi("W" + l));
            assertTrue(w.size(0) == base.width(l - 1) && w.size(1) == base.width(l), base.describe() + " W" + l);
            assertTrue(w.sub(ph.get(GraphNames.phiW(l))).amaxNumber().doubleValue() > 0,
                    base.describe() + ": W" + l + " did not change");
        }
        double loss = out.get(GraphNames.META_LOSS).getDouble(0);
        String msg = String.format("architecture %s: meta-loss %.6f", base.describe(), loss);
        if (gradient) {
            Map<String, INDArray> grads = g.sameDiff().calculateGradients(ph, g.thetaNames());
            double norm = 0;
            for (String n : g.thetaNames()) {
                assertTrue(UnrollFixture.finite(grads.get(n)), base.describe() + ": non-finite gradient " + n);
                norm += Math.pow(grads.get(n).norm2Number().doubleValue(), 2);
            }
            assertTrue(norm > 0, base.describe() + ": zero meta-gradient");
            msg += String.format(", meta-gradient norm %.4e", Math.sqrt(norm));
        }
        System.out.println(msg);
    }
}
