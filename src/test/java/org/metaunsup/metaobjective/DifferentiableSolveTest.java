package org.metaunsup.metaobjective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.metaunsup.testing.FiniteDifference;
import org.metaunsup.testing.TestArrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

@ExtendWith(DoublePrecision.class)
class DifferentiableSolveTest {

    /** A = MᵀM + n·I (symmetric, well conditioned). */
    static INDArray spd(Random rnd, DataType dt, int n) {
        INDArray m = TestArrays.gaussian(rnd, dt, n, n);
        return m.transpose().mmul(m).addi(Nd4j.eye(n).castTo(dt).muli(n));
    }

    /** A = M + 2√n·I (non-symmetric, well conditioned with high probability). */
    static INDArray nonSymmetric(Random rnd, DataType dt, int n) {
        return TestArrays.gaussian(rnd, dt, n, n)
                .addi(Nd4j.eye(n).castTo(dt).muli(2 * Math.sqrt(n)));
    }

    /**
     * Graph L = Σ (solve(A, B, adjoint) ⊙ R) with A and B variables, R a constant so that
     * dX is not uniform.
     */
    static SameDiff solveGraph(INDArray a, INDArray b, boolean adjoint, long seed) {
        SameDiff sd = SameDiff.create();
        SDVariable va = sd.var("A", a);
        SDVariable vb = sd.var("B", b);
        SDVariable x = DifferentiableSolve.solve(sd, "X", va, vb, adjoint);
        SDVariable r = sd.constant("R", TestArrays.gaussian(new Random(seed), a.dataType(),
                b.shape()[0], b.shape()[1]));
        x.mul(r).sum("loss");
        return sd;
    }

    @Test
    void forwardSolvesTheSystemInDoubleAndFloat() {
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Random rnd = new Random(11);
            INDArray a = nonSymmetric(rnd, dt, 6);
            INDArray b = TestArrays.gaussian(rnd, dt, 6, 3);
            SameDiff sd = solveGraph(a, b, false, 1);
            INDArray x = sd.output(Map.of(), "X").get("X");
            assertEquals(dt, x.dataType());
            double tol = dt == DataType.DOUBLE ? 1e-12 : 1e-4;
            assertTrue(a.mmul(x).equalsWithEps(b, tol), dt + ": A·X != B");

            SameDiff sdT = solveGraph(a, b, true, 1);
            INDArray xt = sdT.output(Map.of(), "X").get("X");
            assertTrue(a.transpose().mmul(xt).equalsWithEps(b, tol), dt + ": Aᵀ·X != B");
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesSymmetric() {
        Random rnd = new Random(1);
        SameDiff sd = solveGraph(spd(rnd, DataType.DOUBLE, 5),
                TestArrays.gaussian(rnd, DataType.DOUBLE, 5, 3), false, 2);
        FiniteDifference fd = new FiniteDifference(sd, "loss", null);
        System.out.println("solve spd " + fd.assertGradient("A", 1e-6));
        System.out.println("solve spd " + fd.assertGradient("B", 1e-6));
    }

    @Test
    void gradientsMatchFiniteDifferencesNonSymmetric() {
        Random rnd = new Random(2);
        for (boolean adjoint : new boolean[] {false, true}) {
            SameDiff sd = solveGraph(nonSymmetric(rnd, DataType.DOUBLE, 4),
                    TestArrays.gaussian(rnd, DataType.DOUBLE, 4, 2), adjoint, 3);
            FiniteDifference fd = new FiniteDifference(sd, "loss", null);
            String tag = "solve nonsym adjoint=" + adjoint + " ";
            System.out.println(tag + fd.assertGradient("A", 1e-6));
            System.out.println(tag + fd.assertGradient("B", 1e-6));
        }
    }

    @Test
    void gradientsWithRespectToPlaceholders() {
        Random rnd = new Random(3);
        INDArray a = nonSymmetric(rnd, DataType.DOUBLE, 4);
        INDArray b = TestArrays.gaussian(rnd, DataType.DOUBLE, 4, 3);
        SameDiff sd = SameDiff.create();
        SDVariable va = sd.placeHolder("A", DataType.DOUBLE, 4, 4);
        SDVariable vb = sd.placeHolder("B", DataType.DOUBLE, -1, 3);
        SDVariable x = DifferentiableSolve.solve(sd, "X", va, vb);
        x.mul(x).sum("loss");   // nonlinear in X
        sd.createGradFunction("A", "B");
        FiniteDifference fd = new FiniteDifference(sd, "loss", Map.of("A", a, "B", b));
        System.out.println("solve placeholders " + fd.assertGradient("A", 1e-6));
        System.out.println("solve placeholders " + fd.assertGradient("B", 1e-6));
    }

    @Test
    void secondOrderThroughTheBackwardSolve() {
        // L = Σ (dL0/dB)² where L0 = Σ solve(A,B)⊙R: differentiates the backward solve.
        Random rnd = new Random(4);
        INDArray a = nonSymmetric(rnd, DataType.DOUBLE, 3);
        SameDiff sd = SameDiff.create();
        SDVariable va = sd.var("A", a);
        SDVariable vb = sd.var("B", TestArrays.gaussian(rnd, DataType.DOUBLE, 3, 2));
        SDVariable r = sd.constant("R", TestArrays.gaussian(rnd, DataType.DOUBLE, 3, 2));
        // dL0/dB = A⁻ᵀR, built explicitly with the adjoint solve
        SDVariable g = DifferentiableSolve.solve(sd, "G", va, r, true);
        g.mul(g).sum().add("loss", DifferentiableSolve.solve(sd, "X", va, vb).mul(r).sum());
        FiniteDifference fd = new FiniteDifference(sd, "loss", null);
        System.out.println("solve second order " + fd.assertGradient("A", 1e-6));
    }

    @Test
    void gradientFunctionUsesTheSubclass() {
        Random rnd = new Random(5);
        SameDiff sd = solveGraph(spd(rnd, DataType.DOUBLE, 3),
                TestArrays.gaussian(rnd, DataType.DOUBLE, 3, 1), false, 6);
        sd.calculateGradients(Map.of(), "A");
        SameDiff grad = sd.getFunction("grad");
        int solves = 0;
        for (SameDiffOp op : grad.getOpsInScope("")) {
            if ("solve".equals(op.getOp().opName())) {
                assertEquals(DifferentiableSolve.class, op.getOp().getClass());
                solves++;
            }
        }
        assertTrue(solves >= 2, "expected forward and backward solve in the gradient function");
    }

    @Test
    void dupAndRepeatedRegistrationKeepTheGradient() {
        DifferentiableSolve.register();
        DifferentiableSolve.register();
        assertTrue(DifferentiableSolve.isRegistered());
        Random rnd = new Random(7);
        SameDiff sd = solveGraph(nonSymmetric(rnd, DataType.DOUBLE, 4),
                TestArrays.gaussian(rnd, DataType.DOUBLE, 4, 2), false, 8);
        INDArray g = sd.calculateGradients(Map.of(), "A").get("A");
        SameDiff copy = sd.dup();   // e.g. one instance per worker thread
        INDArray gc = copy.calculateGradients(Map.of(), "A").get("A");
        assertTrue(g.equalsWithEps(gc, 0), "dup changed the gradient");
    }

    @Test
    void rejectsBadShapes() {
        SameDiff sd = SameDiff.create();
        SDVariable a = sd.placeHolder("A", DataType.DOUBLE, 3, 4);
        SDVariable b = sd.placeHolder("B", DataType.DOUBLE, 3, 2);
        assertThrows(IllegalArgumentException.class,
                () -> DifferentiableSolve.solve(sd, "X", a, b));
        SDVariable a2 = sd.placeHolder("A2", DataType.DOUBLE, 3, 3);
        SDVariable b2 = sd.placeHolder("B2", DataType.DOUBLE, 4, 2);
        assertThrows(IllegalArgumentException.class,
                () -> DifferentiableSolve.solve(sd, "X", a2, b2));
        SDVariable b3 = sd.placeHolder("B3", DataType.FLOAT, 3, 2);
        assertThrows(IllegalArgumentException.class,
                () -> DifferentiableSolve.solve(sd, "X", a2, b3));
    }
}
