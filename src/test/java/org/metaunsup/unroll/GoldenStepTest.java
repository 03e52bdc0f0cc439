package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Our graph reproduces the independent implementation's numbers (DESIGN.md §10 trace). */
class GoldenStepTest {

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void oneInnerStepMatchesGolden() {
        GoldenTrace golden = new GoldenTrace("trace-tiny-seed1");
        ExperimentConfig cfg = ConfigLoader.load("tiny");
        ThetaSpec spec = new ThetaSpec(cfg.rule(), cfg.base().topWidth());
        UnrollGraph g = UnrollGraph.build(cfg, cfg.base(), 1, golden.theta(spec), false, DataType.DOUBLE);
        Map<String, INDArray> ph = new HashMap<>();
        for (int l = 1; l <= cfg.base().depth(); l++) {
            for (String p : new String[] {"W", "V", "b"}) {
                ph.put("phi/" + p + l, golden.get("phi/" + p + l));
            }
        }
        ph.put(GraphNames.PERM, Permutation.matrix(golden.perm(), DataType.DOUBLE));
        ph.put(GraphNames.unlabelled(0), golden.get("input/x0"));
        Map<String, INDArray> out = g.sameDiff().output(ph, g.outputPhiNames());
        for (int l = 1; l <= cfg.base().depth(); l++) {
            for (String p : new String[] {"W", "V", "b"}) {
                INDArray want = golden.get("step/phi/" + p + l);
                INDArray got = out.get(GraphNames.outPhi(p + l));
                INDArray before = golden.get("phi/" + p + l);
                // Compare the change made by the step: the params themselves barely move.
                double err = got.sub(before).sub(want.sub(before)).norm2Number().doubleValue()
                        / want.sub(before).norm2Number().doubleValue();
                System.out.printf("%s%d change rel err %.3e (change norm %.3e, first got %.17g want %.17g)%n", p, l, err, want.sub(before).norm2Number().doubleValue(), got.getDouble(0), want.getDouble(0));
                assertTrue(err < 1e-6, p + l + " step change rel err " + err);
            }
        }
    }
}
