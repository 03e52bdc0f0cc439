package org.metaunsup.basemodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.testing.TestArrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

/**
 * The base model's batch norm (docs/METHOD.md#base-model): per unit, z − b has zero batch mean and
 * population variance v/(v + 1e-6), v the population variance of x_prev·W over the batch
 * (so ≈ 1 within 1e-6 when v is O(1)); no Bessel correction, no learned scale; x = act(z).
 */
@ExtendWith(DoublePrecision.class)
class BaseModelBatchNormTest {

    private static final int BATCH = 32;

    @Test
    void unitScaleWeightsGiveZeroMeanUnitVariance() {
        // var(z − b) = 1 − 1e-6/(v + 1e-6) with v = O(1): within a few 1e-6 of 1.
        double worst = check(1.0, 5e-6);
        System.out.printf("base BN, unit-scale W: max |var(z-b) - 1| = %.3e%n", worst);
    }

    @Test
    void initScaleWeightsShowTheEpsilon() {
        // W ~ 0.01: v ~ 1e-4, so var(z − b) = v/(v + 1e-6) ≈ 0.99 — the eps is visible.
        double worst = check(0.0, Double.NaN);
        System.out.printf("base BN, init-scale W: max |var(z-b) - 1| = %.3e (eps visible)%n", worst);
        assertTrue(worst > 1e-4, "with init-scale weights eps 1e-6 should show: " + worst);
    }

    /**
     * @param weightScale 0 for {@link PhiState#init}, else N(0, scale²) weights
     * @param unitTol if not NaN, also require |var − 1| ≤ unitTol
     * @return max |var(z − b) − 1|
     */
    private static double check(double weightScale, double unitTol) {
        BaseModelConfig base = new BaseModelConfig(new int[] {16, 9, 7, 4}, Activation.RELU);
        Random rnd = new Random(61);
        PhiState phi = PhiState.init(base, 62, DataType.DOUBLE);
        SameDiff sd = SameDiff.create();
        List<SDVariable> w = new ArrayList<>();
        List<SDVariable> b = new ArrayList<>();
        List<INDArray> wv = new ArrayList<>();
        for (int l = 1; l <= base.depth(); l++) {
            INDArray wl = weightScale == 0 ? phi.w().get(l - 1)
                    : TestArrays.gaussian(rnd, DataType.DOUBLE, base.width(l - 1), base.width(l)).muli(weightScale);
            wv.add(wl);
            w.add(sd.constant("W" + l, wl));
            b.add(sd.constant("b" + l, phi.b().get(l - 1)));
        }
        INDArray xIn = Nd4j.create(DataType.DOUBLE, BATCH, 16);
        for (long i = 0; i < xIn.length(); i++) {
            xIn.putScalar(i, rnd.nextDouble());
        }
        SDVariable x0 = sd.placeHolder("x", DataType.DOUBLE, BATCH, 16);
        BaseModelGraph.Activations acts = BaseModelGraph.forward(sd, new PhiVars(w, w, b), x0, base.activation());
        List<String> names = new ArrayList<>();
        for (int l = 0; l <= base.depth(); l++) {
            names.add(acts.x().get(l).name());
            names.add(acts.z().get(l).name());
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("x", xIn);
        Map<String, INDArray> out = sd.output(ph, names);
        double worstUnit = 0;
        for (int l = 1; l <= base.depth(); l++) {
            INDArray xPrev = out.get(acts.x().get(l - 1).name());
            INDArray z = out.get(acts.z().get(l).name());
            INDArray x = out.get(acts.x().get(l).name());
            INDArray a = xPrev.mmul(wv.get(l - 1));                      // plain nd4j, outside the graph
            for (int j = 0; j < base.width(l); j++) {
                double bj = phi.b().get(l - 1).getDouble(j);
                double mean = 0;
                double am = 0;
                for (int r = 0; r < BATCH; r++) {
                    mean += z.getDouble(r, j) - bj;
                    am += a.getDouble(r, j);
                }
                mean /= BATCH;
                am /= BATCH;
                double var = 0;
                double v = 0;
                for (int r = 0; r < BATCH; r++) {
                    var += Math.pow(z.getDouble(r, j) - bj - mean, 2);
                    v += Math.pow(a.getDouble(r, j) - am, 2);
                }
                var /= BATCH;
                v /= BATCH;
                assertTrue(Math.abs(mean) <= 1e-12, "layer " + l + " unit " + j + " mean " + mean);
                assertEquals(v / (v + BaseModelGraph.BN_EPS), var, 1e-10,
                        "layer " + l + " unit " + j + ": population variance with eps 1e-6");
                worstUnit = Math.max(worstUnit, Math.abs(var - 1));
                if (!Double.isNaN(unitTol)) {
                    assertEquals(1.0, var, unitTol, "layer " + l + " unit " + j + " variance");
                }
                for (int r = 0; r < BATCH; r++) {
                    assertEquals(Math.max(z.getDouble(r, j), 0), x.getDouble(r, j), 0.0, "relu");
                }
            }
        }
        return worstUnit;
    }
}
