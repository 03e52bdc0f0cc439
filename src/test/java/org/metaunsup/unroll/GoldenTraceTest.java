package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.testing.DoublePrecision;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Our graph reproduces the independent implementation's numbers (docs/METHOD.md#canonical-names), at the
 * smallest shapes ({@code tiny}) and at the shapes meta-training uses ({@code small}), so that a
 * fast path that is wrong only at real sizes is caught.
 */
@ExtendWith(DoublePrecision.class)
class GoldenTraceTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"trace-tiny-seed1, tiny", "trace-small-seed11, small"})
    void oneInnerStepMatchesGolden(String trace, String config) {
        GoldenTrace golden = new GoldenTrace(trace);
        ExperimentConfig cfg = ConfigLoader.load(config);
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        UnrollGraph g = UnrollGraph.build(cfg.graph(), cfg.base(), 1, golden.theta(spec), false, DataType.DOUBLE);
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

    /**
     * The K=2 meta-loss per step and the meta-gradient of every θ tensor, through the pass that
     * meta-training runs ({@link MetaGradient#compute}). Gradients that are zero in exact
     * arithmetic (conv biases before a batch norm) are round-off on both sides: they are
     * compared against a floor of 1e-7 × the largest gradient norm.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"trace-tiny-seed1, tiny", "trace-small-seed11, small"})
    void twoStepUnrollLossAndMetaGradientMatchGolden(String trace, String config) {
        GoldenTrace golden = new GoldenTrace(trace);
        ExperimentConfig cfg = ConfigLoader.load(config);
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        UnrollGraph g = UnrollGraph.build(cfg.graph(), cfg.base(), 2, golden.theta(spec), true, DataType.DOUBLE);
        MetaGradient mg = MetaGradient.compute(g, golden.inputs(cfg, 2));
        double[] perStep = golden.get("unroll/meta_loss_per_step").data().asDouble();
        for (int t = 0; t < 2; t++) {
            double got = mg.stepLoss()[t];
            assertTrue(Math.abs(got - perStep[t]) <= 1e-9 * Math.abs(perStep[t]),
                    "step " + t + " meta-loss " + got + " vs golden " + perStep[t]);
        }
        double largest = 0;
        for (String name : mg.gradient().values().keySet()) {
            largest = Math.max(largest, golden.get("unroll/grad/" + name).norm2Number().doubleValue());
        }
        double worst = 0;
        String worstName = "";
        for (Map.Entry<String, INDArray> e : mg.gradient().values().entrySet()) {
            INDArray want = golden.get("unroll/grad/" + e.getKey());
            double scale = Math.max(want.norm2Number().doubleValue(), 1e-7 * largest);
            double err = e.getValue().sub(want).norm2Number().doubleValue() / scale;
            if (err > worst) {
                worst = err;
                worstName = e.getKey();
            }
        }
        assertTrue(worst <= 1e-6, "worst meta-gradient rel err " + worst + " at " + worstName);
    }
}
