package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

/**
 * With the mix weights {@code W.mix.w} and bias {@code W.mix.b} all zero, the twelve terms
 * contribute nothing, the norm-shrink projection and the renormalisation act on zero, and the
 * direction is g = −ŵ/7 (docs/METHOD.md#rule-weight-update): W' = (1−η)W + η·ŵ/7 with ŵ =
 * W/√(mean_col(W²) + 1e-6),
 * and V' = (1−η)V + η·ŵ/7 with ŵ from W (V receives W's change). Expected values are computed
 * in plain Java.
 */
@ExtendWith(DoublePrecision.class)
class ZeroMixRuleTest {

    @Test
    void zeroMixLeavesOnlyDecayAndTheWHatTerm() {
        double eta = 0.1;
        ExperimentConfig cfg = UnrollFixture.tiny(eta);
        BaseModelConfig base = UnrollFixture.base(16, 7, 5, 4);
        ThetaSpec spec = UnrollFixture.spec(cfg, base);
        Theta theta = Theta.init(spec, 71, DataType.DOUBLE);
        theta.get("W.mix.w").assign(0.0);
        theta.get("W.mix.b").assign(0.0);
        UnrollGraph g = UnrollGraph.build(cfg.graph(), base, 1, theta, false, DataType.DOUBLE);
        TruncationInputs in = UnrollFixture.inputs(cfg, base, 1, 72);
        Map<String, INDArray> out = g.sameDiff().output(in.placeholders(g), g.outputPhiNames());
        PhiState phi = in.phi();
        double worst = 0;
        for (int l = 1; l <= base.depth(); l++) {
            double[][] w = rows(phi.w().get(l - 1));
            double[][] v = rows(phi.v().get(l - 1));
            double[][] wHat = columnRmsNormalised(w);
            worst = Math.max(worst, compare("W" + l, w, wHat, eta, out.get(GraphNames.outPhi("W" + l))));
            worst = Math.max(worst, compare("V" + l, v, wHat, eta, out.get(GraphNames.outPhi("V" + l))));
        }
        System.out.printf("zero mix: max rel error of the W/V change vs (1-eta)p + eta*what/7 - p: %.3e%n", worst);
    }

    /** @return relative error of the change p' − p against the expected change */
    private static double compare(String name, double[][] p, double[][] wHat, double eta, INDArray got) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p[0].length; j++) {
                double expectedChange = -eta * p[i][j] + eta * wHat[i][j] / 7.0;
                double change = got.getDouble(i, j) - p[i][j];
                num += Math.pow(change - expectedChange, 2);
                den += expectedChange * expectedChange;
            }
        }
        double rel = Math.sqrt(num / den);
        assertTrue(rel <= 1e-12, name + ": change differs from −η·p + η·ŵ/7 by " + rel);
        return rel;
    }

    private static double[][] rows(INDArray a) {
        double[][] r = new double[(int) a.size(0)][(int) a.size(1)];
        for (int i = 0; i < r.length; i++) {
            for (int j = 0; j < r[0].length; j++) {
                r[i][j] = a.getDouble(i, j);
            }
        }
        return r;
    }

    private static double[][] columnRmsNormalised(double[][] w) {
        double[][] out = new double[w.length][w[0].length];
        for (int j = 0; j < w[0].length; j++) {
            double ms = 0;
            for (double[] row : w) {
                ms += row[j] * row[j];
            }
            ms /= w.length;
            double s = 1.0 / Math.sqrt(ms + 1e-6);
            for (int i = 0; i < w.length; i++) {
                out[i][j] = w[i][j] * s;
            }
        }
        return out;
    }
}
