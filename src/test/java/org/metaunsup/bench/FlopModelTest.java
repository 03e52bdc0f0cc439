package org.metaunsup.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;

/**
 * The FLOP counts behind {@code bench}'s GFLOP/s: the meta-objective against a count written out
 * by hand, the meta-gradient as 3 × K forward passes, and the inner step affine in the batch (every
 * term is a product whose one side is the batch, or does not involve it).
 */
class FlopModelTest {

    private static final ExperimentConfig TINY = ConfigLoader.load("tiny");

    @Test
    void theObjectiveIsTheLabelledForwardPassAndTheRidgeFit() {
        BaseModelConfig base = new BaseModelConfig(new int[] {9, 6, 4}, Activation.parse("relu"));
        double ns = TINY.objective().supportSize();
        double nq = TINY.objective().querySize();
        double c = TINY.objective().classes();
        double rows = ns + nq;
        double forward = 2 * rows * 9 * 9 + 2 * rows * 9 * 6 + 2 * rows * 6 * 4;
        double d = 5;   // top width + the bias column
        double ridge = 2 * ns * d * d + 2 * ns * d * c + (2.0 / 3) * d * d * d + 2 * d * d * c + 2 * nq * d * c;
        assertEquals(forward + ridge, FlopModel.objective(TINY, base), 1e-9);
    }

    @Test
    void aMetaGradientIsThreeTimesKForwardSteps() {
        BaseModelConfig base = TINY.base();
        double one = FlopModel.innerStep(TINY, base) + FlopModel.objective(TINY, base);
        assertEquals(3 * 5 * one, FlopModel.metaGradient(TINY, base, 5), 1e-6 * one);
        assertEquals(2 * FlopModel.metaGradient(TINY, base, 3), FlopModel.metaGradient(TINY, base, 6), 1e-6 * one);
    }

    @Test
    void theInnerStepIsAffineInTheBatchAndGrowsWithIt() {
        BaseModelConfig base = TINY.base();
        double[] f = new double[3];
        for (int i = 0; i < 3; i++) {
            ExperimentConfig c = ConfigLoader.resolve("tiny", withBatch(8 * (i + 1)));
            f[i] = FlopModel.innerStep(c, base);
        }
        assertTrue(f[1] > f[0]);
        assertEquals(f[1] - f[0], f[2] - f[1], 1e-9 * f[2]);
    }

    private static Map<String, String> withBatch(int b) {
        Map<String, String> p = new LinkedHashMap<>(TINY.toProperties());
        p.put("inner.batch", Integer.toString(b));
        return p;
    }
}
