package org.metaunsup.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;
import org.metaunsup.testing.FiniteDifference;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Our replacement expressions: the stock values, gradients checked by central finite differences
 * in double (largest |analytic − numeric| below 1e-8 of the largest gradient entry: the
 * differences' own round-off, ~1e-9 here, makes relative errors of tiny entries meaningless).
 */
@ExtendWith(DoublePrecision.class)
class GraphOpsGradientTest {

    /** A batch-norm-like use on a rank-3 tensor: both operands get gradients, y broadcast over axes 0, 1. */
    @Test
    void broadcastScaleGradientsMatchFiniteDifferences() {
        for (int[] axes : new int[][] {{0, 1}, {2}, {0}}) {
            SameDiff sd = SameDiff.create();
            Nd4j.getRandom().setSeed(3);
            SDVariable x = sd.var("x", Nd4j.randn(DataType.DOUBLE, 4, 5, 3));
            long[] yShape = {4, 5, 3};
            for (int a : axes) {
                yShape[a] = 1;
            }
            SDVariable y = sd.var("y", Nd4j.randn(DataType.DOUBLE, yShape));
            SDVariable out = GraphOps.scale(x.mul(1.5), y.add(0.5), axes);
            INDArray c = Nd4j.randn(DataType.DOUBLE, 4, 5, 3);
            SDVariable loss = out.mul(sd.constant(c)).sum();
            sd.setLossVariables(loss.name());
            Map<String, INDArray> none = new HashMap<>();
            INDArray value = sd.output(none, out.name()).get(out.name());
            INDArray want = x.getArr().mul(1.5).mul(y.getArr().add(0.5));
            assertEquals(want, value, "forward equals x * y");
            for (String v : new String[] {"x", "y"}) {
                FiniteDifference.Report r = new FiniteDifference(sd, loss.name(), none).check(v);
                assertTrue(r.maxAbsError() < 1e-8 * r.maxAbsAnalytic(), v + " axes " + Arrays.toString(axes) + ": " + r);
            }
        }
    }

    @Test
    void squareGradientMatchesFiniteDifferences() {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(4);
        SDVariable x = sd.var("x", Nd4j.randn(DataType.DOUBLE, 6, 5));
        SDVariable loss = GraphOps.square(x).mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 6, 5))).sum();
        sd.setLossVariables(loss.name());
        FiniteDifference.Report r = new FiniteDifference(sd, loss.name(), new HashMap<>()).check("x");
        assertTrue(r.maxAbsError() < 1e-8 * r.maxAbsAnalytic(), r.toString());
    }

    @Test
    void reluGateHasTheStockValuesAndAGradientThatMatchesFiniteDifferences() {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(5);
        INDArray xv = Nd4j.randn(DataType.DOUBLE, 4, 6, 3);
        xv.putScalar(0, 0.0);   // the kink itself: gradient 0, as the stock relu's
        SDVariable x = sd.var("x", xv);
        SDVariable out = GraphOps.relu(x.mul(1.0));
        SDVariable loss = out.mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 4, 6, 3))).sum();
        sd.setLossVariables(loss.name());
        INDArray value = sd.output(new HashMap<>(), out.name()).get(out.name());
        assertEquals(Transforms.relu(xv, true), value, "forward equals max(x, 0)");
        // Finite differences away from the kink (a step of 1e-6 across 0 sees the kink).
        xv.putScalar(0, 0.3);
        FiniteDifference.Report r = new FiniteDifference(sd, loss.name(), new HashMap<>()).check("x");
        assertTrue(r.maxAbsError() < 1e-8 * r.maxAbsAnalytic(), r.toString());
        xv.putScalar(0, 0.0);
        INDArray g = sd.calculateGradients(new HashMap<>(), "x").get("x");
        assertEquals(0.0, g.getDouble(0), 0.0, "no gradient at x = 0");
    }
}
