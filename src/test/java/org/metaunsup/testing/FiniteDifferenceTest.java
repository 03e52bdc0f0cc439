package org.metaunsup.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.extension.ExtendWith;

/** The checker passes correct gradients and catches a gradient nd4j gets wrong. */
@ExtendWith(DoublePrecision.class)
class FiniteDifferenceTest {

    private static SameDiff varianceGraph(boolean biasCorrected, INDArray x) {
        SameDiff sd = SameDiff.create();
        SDVariable v = sd.var("x", x.dup());
        SDVariable w = sd.constant("w", TestArrays.gaussian(new Random(9), DataType.DOUBLE, 5));
        sd.variance(v, biasCorrected, 1).mul(w).sum("loss");
        return sd;
    }

    @Test
    void passesACorrectGradientAndCatchesPopulationVariance() {
        INDArray x = TestArrays.gaussian(new Random(1), DataType.DOUBLE, 5, 4);
        FiniteDifference.Report ok = new FiniteDifference(varianceGraph(true, x), "loss", null)
                .assertGradient("x", 1e-6);
        System.out.println("checker on variance(biasCorrected=true): " + ok);

        // SAMEDIFF-FACTS: variance(x, false) has a gradient off by n/(n−1) = 4/3
        FiniteDifference.Report bad =
                new FiniteDifference(varianceGraph(false, x), "loss", null).check("x");
        System.out.println("checker on variance(biasCorrected=false): " + bad);
        assertTrue(bad.maxRelError() > 0.1, "population variance gradient should be caught");
        assertEquals(4.0 / 3.0, bad.analytic() / bad.numeric(), 1e-5);
        AssertionError e = assertThrows(AssertionError.class,
                () -> new FiniteDifference(varianceGraph(false, x), "loss", null)
                        .assertGradient("x", 1e-6));
        assertTrue(e.getMessage().contains("max rel error"), e.getMessage());
    }

    @Test
    void samplesAreSeededAndWithoutReplacement() {
        INDArray x = TestArrays.gaussian(new Random(2), DataType.DOUBLE, 5, 4);
        SameDiff sd = varianceGraph(true, x);
        FiniteDifference fd = new FiniteDifference(sd, "loss", null);
        FiniteDifference.Report a = fd.check("x", 7, 123L);
        FiniteDifference.Report b = fd.check("x", 7, 123L);
        assertEquals(7, a.checked());
        assertEquals(a.worstIndex(), b.worstIndex());
        assertEquals(a.maxRelError(), b.maxRelError());
        assertArrayEquals(new long[] {a.worstIndex() / 4, a.worstIndex() % 4}, a.worstShapeIndex());
        assertEquals(20, fd.check("x", 100, 1L).checked());
        // the variable's value is restored after the check
        assertTrue(x.equalsWithEps(sd.getArrForVarName("x"), 0));
    }

    /** loss = s · Σ tanh(p·m), m a VARIABLE (onPath) or a CONSTANT, s a scalar VARIABLE. */
    private static SameDiff placeholderGraph(boolean mIsVariable) {
        SameDiff sd = SameDiff.create();
        SDVariable p = sd.placeHolder("p", DataType.DOUBLE, 3, 2);
        INDArray mArr = TestArrays.gaussian(new Random(4), DataType.DOUBLE, 2, 2);
        SDVariable m = mIsVariable ? sd.var("m", mArr) : sd.constant("m", mArr);
        SDVariable s = sd.var("s", Nd4j.scalar(1.7));
        sd.math().tanh(p.mmul(m)).sum().mul("loss", s);
        return sd;
    }

    @Test
    void placeholderGradients() {
        Map<String, INDArray> ph =
                Map.of("p", TestArrays.gaussian(new Random(3), DataType.DOUBLE, 3, 2));

        // p feeds an op between the loss and a VARIABLE (m): M2.1 computes dp anyway
        SameDiff onPath = placeholderGraph(true);
        onPath.setLossVariables("loss");
        onPath.calculateGradients(ph, "m");
        System.out.println("checker on placeholder (on a variable's path): "
                + new FiniteDifference(onPath, "loss", ph).assertGradient("p", 1e-6));

        // p's consumers lead to no VARIABLE: the gradient function skips them;
        // calculateGradients omits p silently (with others) or throws (alone)
        SameDiff offPath = placeholderGraph(false);
        offPath.setLossVariables("loss");
        assertTrue(offPath.calculateGradients(ph, "s", "p").get("p") == null);
        IllegalStateException alone = assertThrows(IllegalStateException.class,
                () -> offPath.calculateGradients(ph, "p"));
        assertTrue(alone.getMessage().contains("No outputs were specified"));
        AssertionError e = assertThrows(AssertionError.class,
                () -> new FiniteDifference(offPath, "loss", ph).check("p"));
        assertTrue(e.getMessage().contains("createGradFunction"), e.getMessage());

        // same graph, fresh: the checker creates the gradient function naming p
        SameDiff fresh = placeholderGraph(false);
        FiniteDifference fd = new FiniteDifference(fresh, "loss", ph);
        System.out.println("checker on placeholder (named): " + fd.assertGradient("p", 1e-6));
        System.out.println("checker on variable: " + fd.assertGradient("s", 1e-6));
    }

    @Test
    void refusesAGraphWithOtherLossVariables() {
        SameDiff sd = varianceGraph(true,
                TestArrays.gaussian(new Random(5), DataType.DOUBLE, 5, 4));
        sd.getVariable("loss").mul("other", 2.0);
        sd.setLossVariables("other");
        assertThrows(IllegalArgumentException.class,
                () -> new FiniteDifference(sd, "loss", null).check("x"));
    }
}
