package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.testing.DoublePrecision;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The shared forward rule step: golden numbers, cheap θ reloads, spec checks. */
@ExtendWith(DoublePrecision.class)
class RuleStepTest {

    @Test
    void stepMatchesGoldenAndReloadsTheta() {
        GoldenTrace golden = new GoldenTrace("trace-tiny-seed1");
        ExperimentConfig cfg = ConfigLoader.load("tiny");
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        Theta theta = golden.theta(spec);
        TruncationInputs in = golden.inputs(cfg, 1);
        RuleStep step = new RuleStep(cfg.graph(), cfg.base(), theta, DataType.DOUBLE);
        PhiState after = step.apply(in.phi(), in.perm(), in.unlabelled().get(0));
        for (int l = 1; l <= cfg.base().depth(); l++) {
            assertChange(golden, "W" + l, after.w().get(l - 1));
            assertChange(golden, "V" + l, after.v().get(l - 1));
            assertChange(golden, "b" + l, after.b().get(l - 1));
        }

        // Another θ of the same spec changes the step; loading the first back restores it exactly.
        step.loadTheta(Theta.init(spec, 7, DataType.DOUBLE));
        PhiState other = step.apply(in.phi(), in.perm(), in.unlabelled().get(0));
        assertTrue(after.w().get(0).sub(other.w().get(0)).amaxNumber().doubleValue() > 0);
        step.loadTheta(theta);
        PhiState again = step.apply(in.phi(), in.perm(), in.unlabelled().get(0));
        for (int l = 0; l < cfg.base().depth(); l++) {
            assertEquals(0.0, after.w().get(l).sub(again.w().get(l)).amaxNumber().doubleValue(), 0.0);
            assertEquals(0.0, after.b().get(l).sub(again.b().get(l)).amaxNumber().doubleValue(), 0.0);
        }

        Theta foreign = Theta.init(new ThetaSpec(cfg.rule(), cfg.base().topWidth() + 1), 1, DataType.DOUBLE);
        assertThrows(IllegalArgumentException.class, () -> step.loadTheta(foreign));
    }

    /**
     * The forward-only step (stock relu) and the differentiated graph (the gate relu) apply the
     * same rule: φ after one step is equal, value for value.
     */
    @Test
    void forwardStepEqualsTheDifferentiatedGraphsStep() {
        GoldenTrace golden = new GoldenTrace("trace-tiny-seed1");
        ExperimentConfig cfg = ConfigLoader.load("tiny");
        Theta theta = golden.theta(new ThetaSpec(cfg.rule(), cfg.base().topWidth()));
        TruncationInputs in = golden.inputs(cfg, 1);
        PhiState forward = new RuleStep(cfg.graph(), cfg.base(), theta, DataType.DOUBLE)
                .apply(in.phi(), in.perm(), in.unlabelled().get(0));
        PhiState differentiated = MetaGradient.compute(
                UnrollGraph.build(cfg.graph(), cfg.base(), 1, theta, true, DataType.DOUBLE), in).phiAfter();
        for (int l = 0; l < cfg.base().depth(); l++) {
            assertEquals(0.0, forward.w().get(l).sub(differentiated.w().get(l)).amaxNumber().doubleValue(), 0.0);
            assertEquals(0.0, forward.v().get(l).sub(differentiated.v().get(l)).amaxNumber().doubleValue(), 0.0);
            assertEquals(0.0, forward.b().get(l).sub(differentiated.b().get(l)).amaxNumber().doubleValue(), 0.0);
        }
    }

    /** The step's change of a base param against the golden change (the params barely move). */
    private static void assertChange(GoldenTrace golden, String p, INDArray got) {
        INDArray want = golden.get("step/phi/" + p);
        INDArray before = golden.get("phi/" + p);
        double err = got.sub(before).sub(want.sub(before)).norm2Number().doubleValue()
                / want.sub(before).norm2Number().doubleValue();
        assertTrue(err < 1e-6, p + " step change rel err " + err);
    }
}
