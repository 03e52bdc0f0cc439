package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

/**
 * Building the same graph twice from the same θ seed and the same input seed gives
 * bit-identical outputs and meta-gradients (no hidden randomness, no order dependence).
 */
@ExtendWith(DoublePrecision.class)
class DeterminismTest {

    private record Run(Map<String, INDArray> outputs, Map<String, INDArray> grads, List<String> names) {}

    private static Run run() {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        BaseModelConfig base = cfg.base();
        ThetaSpec spec = UnrollFixture.spec(cfg, base);
        UnrollGraph g = UnrollGraph.build(cfg.graph(), base, 2, Theta.init(spec, 51, DataType.DOUBLE), true,
                DataType.DOUBLE);
        Map<String, INDArray> ph = UnrollFixture.inputs(cfg, base, 2, 52).placeholders(g);
        List<String> outs = new ArrayList<>(g.stepLossNames());
        outs.add(GraphNames.META_LOSS);
        outs.addAll(g.outputPhiNames());
        Map<String, INDArray> o = g.sameDiff().output(ph, outs);
        Map<String, INDArray> gr = g.sameDiff().calculateGradients(ph, g.thetaNames());
        // A second evaluation on the same instance must agree too.
        assertBitIdentical(gr, g.sameDiff().calculateGradients(ph, g.thetaNames()), g.thetaNames(), "same graph");
        return new Run(o, gr, g.thetaNames());
    }

    @Test
    void sameSeedsGiveBitIdenticalLossAndGradients() {
        Run a = run();
        Run b = run();
        assertBitIdentical(a.outputs(), b.outputs(), new ArrayList<>(a.outputs().keySet()), "outputs");
        assertBitIdentical(a.grads(), b.grads(), a.names(), "meta-gradients");
        System.out.printf("determinism: meta-loss %.17g in both builds, %d gradient tensors bit-identical%n",
                a.outputs().get(GraphNames.META_LOSS).getDouble(0), a.names().size());
    }

    private static void assertBitIdentical(Map<String, INDArray> x, Map<String, INDArray> y, List<String> names,
                                           String what) {
        assertEquals(x.keySet(), y.keySet(), what);
        for (String n : names) {
            double[] p = x.get(n).data().asDouble();
            double[] q = y.get(n).data().asDouble();
            long[] pb = new long[p.length];
            long[] qb = new long[q.length];
            for (int i = 0; i < p.length; i++) {
                pb[i] = Double.doubleToRawLongBits(p[i]);
                qb[i] = Double.doubleToRawLongBits(q[i]);
            }
            assertArrayEquals(pb, qb, what + ": " + n + " differs");
        }
    }
}
