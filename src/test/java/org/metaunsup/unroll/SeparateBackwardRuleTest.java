package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.testing.DoublePrecision;
import org.metaunsup.testing.FiniteDifference;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code rule.v_shares_w = false}: V gets its own readouts and mix
 * (docs/METHOD.md#rule-weight-update), its direction is
 * computed from V's own ŵ, and those θ tensors receive verified meta-gradients.
 */
@ExtendWith(DoublePrecision.class)
class SeparateBackwardRuleTest {

    private static ExperimentConfig config() {
        Map<String, String> m = new LinkedHashMap<>(ConfigLoader.load("tiny").toProperties());
        m.put("rule.v_shares_w", "false");
        m.put("inner.eta", "0.05");
        return ConfigLoader.resolve("tiny-separate-v", m);
    }

    @Test
    void backwardWeightsGetTheirOwnThetaDirectionAndGradients() {
        ExperimentConfig cfg = config();
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        ThetaSpec shared = new ThetaSpec(ConfigLoader.load("tiny").rule(), cfg.base().topWidth());
        // 15 readout maps (w, b) + mix (w, b) more than the shared rule.
        assertEquals(shared.tensors().size() + 32, spec.tensors().size());
        Theta theta = Theta.init(spec, 5, DataType.DOUBLE);
        TruncationInputs in = UnrollFixture.inputs(cfg, cfg.base(), 2, 6);

        UnrollGraph step = UnrollGraph.build(cfg.graph(), cfg.base(), 1, theta, false, DataType.DOUBLE);
        Map<String, INDArray> out = step.sameDiff().output(in.placeholders(step), step.outputPhiNames());
        INDArray w = in.phi().w().get(0);
        INDArray v = in.phi().v().get(0);
        INDArray dw = out.get(GraphNames.outPhi("W1")).sub(w.mul(1 - cfg.eta()));
        INDArray dv = out.get(GraphNames.outPhi("V1")).sub(v.mul(1 - cfg.eta()));
        double diff = dw.sub(dv).norm2Number().doubleValue() / dw.norm2Number().doubleValue();
        assertTrue(diff > 1e-3, "V's change should differ from W's, relative difference " + diff);

        UnrollGraph g = UnrollGraph.build(cfg.graph(), cfg.base(), 2, theta, true, DataType.DOUBLE);
        MetaGradient mg = MetaGradient.compute(g, in);
        assertTrue(mg.isFinite());
        for (String name : List.of("V.mix.w", "V.r0.top.w", "V.lin_lower_symm.bot.w", "V.lin_upper_psd.top.w")) {
            assertTrue(mg.gradient().get(name).amaxNumber().doubleValue() > 0, name + " has no gradient");
        }
        Map<String, INDArray> ph = in.placeholders(g);
        FiniteDifference fd = new FiniteDifference(g.sameDiff(), GraphNames.META_LOSS, ph)
                .eps(1e-6).fallbackEps(1e-7, 1e-5).absFloor(1e-8).analytic(
                        g.sameDiff().calculateGradients(ph, g.thetaNames()));
        for (String name : List.of("theta/V.mix.w", "theta/V.r1.bot.w", "theta/V.sqr_upper_symm.top.w")) {
            fd.assertGradient(name, 2, 7, 1e-5);
        }
    }
}
