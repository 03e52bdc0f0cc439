package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

/** Our graph reproduces the independent implementation's numbers (DESIGN.md §10 trace). */
@ExtendWith(DoublePrecision.class)
class GoldenTraceTest {

    @Test
    void oneInnerStepMatchesGolden() {
        GoldenTrace golden = new GoldenTrace("trace-tiny-seed1");
        ExperimentConfig cfg = ConfigLoader.load("tiny");
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        UnrollGraph g = UnrollGraph.build(cfg, cfg.base(), 1, golden.theta(spec), false, DataType.DOUBLE);
        Map<String, INDArray> ph = golden.inputs(cfg, 1).placeholders(g);
        Map<String, INDArray> out = g.sameDiff().output(ph, g.outputPhiNames());
        for (int l = 1; l <= cfg.base().depth(); l++) {
            for (String p : new String[] {"W", "V", "b"}) {
                INDArray want = golden.get("step/phi/" + p + l);
                INDArray got = out.get(GraphNames.outPhi(p + l));
                INDArray before = golden.get("phi/" + p + l);
                // Compare the change made by the step: the params themselves barely move.
                double err = got.sub(before).sub(want.sub(before)).norm2Number().doubleValue()
                        / want.sub(before).norm2Number().doubleValue();
                assertTrue(err < 1e-6, p + l + " step change rel err " + err);
            }
        }
    }

    @Test
    void twoStepUnrollLossAndMetaGradientMatchGolden() {
        GoldenTrace golden = new GoldenTrace("trace-tiny-seed1");
        ExperimentConfig cfg = ConfigLoader.load("tiny");
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        UnrollGraph g = UnrollGraph.build(cfg, cfg.base(), 2, golden.theta(spec), true, DataType.DOUBLE);
        Map<String, INDArray> ph = golden.inputs(cfg, 2).placeholders(g);
        Map<String, INDArray> out = g.sameDiff().output(ph, g.stepLossNames().toArray(new String[0]));
        double[] perStep = golden.get("unroll/meta_loss_per_step").data().asDouble();
        for (int t = 0; t < 2; t++) {
            double got = out.get(GraphNames.stepLoss(t)).getDouble(0);
            assertTrue(Math.abs(got - perStep[t]) <= 1e-9 * Math.abs(perStep[t]),
                    "step " + t + " meta-loss " + got + " vs golden " + perStep[t]);
        }
        Map<String, INDArray> grads = g.sameDiff().calculateGradients(ph, g.thetaNames());
        double worst = 0;
        String worstName = "";
        for (String name : g.thetaNames()) {
            INDArray want = golden.get("unroll/grad/" + name.substring("theta/".length()));
            INDArray got = grads.get(name);
            double scale = Math.max(want.norm2Number().doubleValue(), 1e-12);
            double err = got.sub(want).norm2Number().doubleValue() / scale;
            if (err > worst) {
                worst = err;
                worstName = name;
            }
        }
        assertTrue(worst <= 1e-6, "worst meta-gradient rel err " + worst + " at " + worstName);
    }
}
