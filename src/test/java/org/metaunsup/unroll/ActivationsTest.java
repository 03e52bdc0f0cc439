package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.metaunsup.config.Activation;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Every base-model activation of docs/METHOD.md#base-model builds, steps and has a finite meta-gradient. With
 * the step activation the features are piecewise constant in φ, so the meta-objective is
 * piecewise constant in θ and its gradient is exactly zero: a rule can be applied to step
 * networks (the rule never differentiates the base model) but not meta-trained through them.
 */
class ActivationsTest {

    @ParameterizedTest
    @EnumSource(Activation.class)
    void innerStepAndMetaGradientWorkFor(Activation activation) {
        Map<String, String> m = new LinkedHashMap<>(ConfigLoader.load("tiny").toProperties());
        m.put("base.activation", activation.name().toLowerCase(Locale.ROOT));
        ExperimentConfig cfg = ConfigLoader.resolve("tiny-" + activation, m);
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        Theta theta = Theta.init(spec, 3, DataType.FLOAT);
        UnrollGraph g = UnrollGraph.build(cfg.graph(), cfg.base(), 2, theta, true, DataType.FLOAT);
        MetaGradient mg = MetaGradient.compute(g, UnrollFixture.inputs(cfg, cfg.base(), 2, 4));
        assertTrue(mg.isFinite(), activation + ": non-finite meta-loss or gradient");
        if (activation == Activation.STEP) {
            assertTrue(mg.globalNorm() == 0, "step features are locally constant: gradient " + mg.globalNorm());
        } else {
            assertTrue(mg.globalNorm() > 0, activation + ": zero meta-gradient");
        }
        assertTrue(mg.phiAfter().isFinite());
    }
}
