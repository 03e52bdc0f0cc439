package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

/**
 * Every θ tensor receives a finite meta-gradient through a K=2 unroll ({@code tiny}); it is
 * non-zero except where zero is forced by the maths:
 * <ul>
 *   <li>the bias {@code <block>.b} of every convolution immediately followed by a batch norm
 *       ({@code <block>.bn} exists): the norm subtracts the per-channel mean, which removes
 *       any per-channel constant, so the loss does not depend on that bias at all;
 *   <li>{@code bias.b}, the bias of the Linear(h→1) of the bias update, whenever the mean of
 *       Δb is negative in every layer at every step: the rule then shifts Δb to mean zero,
 *       which removes the constant {@code bias.b} (docs/METHOD.md#numerics). That is data dependent; at θ
 *       init (bias.b = 0) it happens for some seeds (the golden trace's, for instance).
 * </ul>
 */
@ExtendWith(DoublePrecision.class)
class MetaGradientConnectivityTest {

    /** Structural zeros must be this far below the largest gradient entry. */
    private static final double ZERO = 1e-10;
    /** Every other tensor's largest entry must be at least this fraction of the largest. */
    private static final double NON_ZERO = 1e-6;

    @Test
    void everyThetaTensorGetsAFiniteNonZeroMetaGradient() {
        ExperimentConfig cfg = UnrollFixture.tiny(1e-4);
        BaseModelConfig base = cfg.base();
        ThetaSpec spec = UnrollFixture.spec(cfg, base);
        UnrollGraph g = UnrollGraph.build(cfg.graph(), base, 2, Theta.init(spec, 41, DataType.DOUBLE), true,
                DataType.DOUBLE);
        Map<String, INDArray> ph = UnrollFixture.inputs(cfg, base, 2, 42).placeholders(g);
        SameDiff sd = g.sameDiff();
        List<String> structural = UnrollFixture.biasesBeforeBatchNorm(spec);
        System.out.println("structurally gradient-free theta tensors: " + structural);
        assertTrue(structural.size() == 11, "11 conv blocks are followed by a BN: " + structural);

        Map<String, INDArray> atInit = sd.calculateGradients(ph, g.thetaNames());
        System.out.printf("at init (bias.b = 0): max |dL/d bias.b| = %.3e%n",
                UnrollFixture.maxAbs(atInit.get("theta/bias.b")));

        // bias.b > 0 makes mean(Δb) > 0, so bias.b is on the loss's path.
        sd.getArrForVarName("theta/bias.b").assign(1.0);
        Map<String, INDArray> grads = sd.calculateGradients(ph, g.thetaNames());
        double scale = assertConnected(g, grads, structural);

        // bias.b ≪ 0 makes mean(Δb) < 0 everywhere: the shift to mean zero removes bias.b.
        sd.getArrForVarName("theta/bias.b").assign(-10.0);
        Map<String, INDArray> shifted = sd.calculateGradients(ph, g.thetaNames());
        double biasB = UnrollFixture.maxAbs(shifted.get("theta/bias.b"));
        System.out.printf("bias.b = -10: max |dL/d bias.b| = %.3e (largest entry %.3e)%n", biasB, scale);
        assertTrue(biasB <= ZERO * scale, "bias.b should be gradient-free when mean(Δb) < 0: " + biasB);
    }

    /** @return the largest gradient entry */
    private static double assertConnected(UnrollGraph g, Map<String, INDArray> grads, List<String> structural) {
        double scale = 0;
        for (String name : g.thetaNames()) {
            INDArray a = grads.get(name);
            assertTrue(a != null, "no meta-gradient for " + name);
            assertTrue(UnrollFixture.finite(a), "non-finite meta-gradient for " + name);
            scale = Math.max(scale, UnrollFixture.maxAbs(a));
        }
        assertTrue(scale > 0 && scale < 1, "largest meta-gradient entry " + scale);
        double maxZero = 0;
        double minOther = Double.POSITIVE_INFINITY;
        String minName = "";
        for (String name : g.thetaNames()) {
            double m = UnrollFixture.maxAbs(grads.get(name));
            if (structural.contains(name)) {
                assertTrue(m <= ZERO * scale, name + " should be gradient-free, got " + m);
                maxZero = Math.max(maxZero, m);
            } else {
                assertTrue(m >= NON_ZERO * scale, name + " gets no meta-gradient: " + m
                        + " (largest entry " + scale + ")");
                if (m < minOther) {
                    minOther = m;
                    minName = name;
                }
            }
        }
        System.out.printf("connectivity: largest entry %.3e; structural zeros max %.3e; smallest other"
                + " tensor max %.3e (%s)%n", scale, maxZero, minOther, minName);
        return scale;
    }
}
