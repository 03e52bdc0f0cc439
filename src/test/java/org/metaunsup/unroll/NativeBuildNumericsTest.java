package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native build (the oneDNN variant of nd4j-native by default, see pom.xml) computes the
 * float32 meta-gradient that meta-training uses to within float32 round-off of the float64
 * golden trace at {@code small} shapes. The finite-difference tests run in float64, which takes
 * nd4j's generic kernels (oneDNN's helpers serve float32 only: with helpers switched off float64
 * is bit for bit the same), so this test is what checks the fast float32 path.
 */
class NativeBuildNumericsTest {

    private static final String TRACE = "trace-small-seed11";

    @AfterEach
    void helpersBackOn() {
        Nd4j.getEnvironment().allowHelpers(true);
    }

    @Test
    void float32MetaGradientAgreesWithFloat64Golden() {
        GoldenTrace golden = new GoldenTrace(TRACE);
        MetaGradient mg = metaGradient(golden, DataType.FLOAT);
        double[] perStep = golden.get("unroll/meta_loss_per_step").data().asDouble();
        for (int t = 0; t < 2; t++) {
            double rel = Math.abs(mg.stepLoss()[t] - perStep[t]) / Math.abs(perStep[t]);
            assertTrue(rel < 1e-5, "step " + t + " meta-loss rel err " + rel);
        }
        double worst = worstRelativeError(golden, mg.gradient().values());
        // Measured 1.6e-2 (top-down and hidden-state convolutions; readouts and mix ~1e-4): the
        // batch norms of a K=2 unroll amplify float32 round-off. Same with nd4j's generic kernels.
        assertTrue(worst < 3e-2, "worst float32 meta-gradient rel err vs float64 golden " + worst);
    }

    @Test
    void float64TakesTheGenericKernels() {
        GoldenTrace golden = new GoldenTrace(TRACE);
        Map<String, INDArray> with = metaGradient(golden, DataType.DOUBLE).gradient().values();
        Nd4j.getEnvironment().allowHelpers(false);
        Map<String, INDArray> without = metaGradient(golden, DataType.DOUBLE).gradient().values();
        for (String name : with.keySet()) {
            assertEquals(without.get(name), with.get(name), name + " differs with oneDNN helpers on");
        }
    }

    /** oneDNN's float32 kernels are no less accurate than nd4j's generic float32 kernels. */
    @Test
    void float32HelpersAreAsAccurateAsGenericKernels() {
        GoldenTrace golden = new GoldenTrace(TRACE);
        double fast = worstRelativeError(golden, metaGradient(golden, DataType.FLOAT).gradient().values());
        Nd4j.getEnvironment().allowHelpers(false);
        double generic = worstRelativeError(golden, metaGradient(golden, DataType.FLOAT).gradient().values());
        assertTrue(fast <= 1.5 * generic, "float32 rel err vs float64: oneDNN " + fast + ", generic " + generic);
    }

    private static MetaGradient metaGradient(GoldenTrace golden, DataType dtype) {
        ExperimentConfig cfg = ConfigLoader.load("small");
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        UnrollGraph g = UnrollGraph.build(cfg.graph(), cfg.base(), 2, golden.theta(spec), true, dtype);
        return MetaGradient.compute(g, golden.inputs(cfg, 2));
    }

    /** Per-tensor relative error, with a floor of 1e-7 × the largest gradient norm (structural zeros). */
    private static double worstRelativeError(GoldenTrace golden, Map<String, INDArray> got) {
        double largest = 0;
        for (String name : got.keySet()) {
            largest = Math.max(largest, golden.get("unroll/grad/" + name).norm2Number().doubleValue());
        }
        double worst = 0;
        for (Map.Entry<String, INDArray> e : got.entrySet()) {
            INDArray want = golden.get("unroll/grad/" + e.getKey());
            double scale = Math.max(want.norm2Number().doubleValue(), 1e-4 * largest);
            worst = Math.max(worst, e.getValue().castTo(DataType.DOUBLE).sub(want).norm2Number().doubleValue() / scale);
        }
        return worst;
    }
}
