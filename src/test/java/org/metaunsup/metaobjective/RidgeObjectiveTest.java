package org.metaunsup.metaobjective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;
import org.metaunsup.testing.FiniteDifference;
import org.metaunsup.testing.TestArrays;
import org.nd4j.autodiff.samediff.NameScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

@ExtendWith(DoublePrecision.class)
class RidgeObjectiveTest {

    static final int N_SUPPORT = 12;
    static final int N_QUERY = 12;
    static final int D = 4;
    static final int C = 3;
    static final double LAMBDA = RidgeObjective.DEFAULT_LAMBDA;

    /** A labelled support/query pair with features correlated with the class. */
    record Problem(INDArray features, INDArray ySupport, INDArray yQuery, int nSupport) {

        static Problem random(long seed, int nSupport, int nQuery, int d, int c, DataType dt) {
            Random rnd = new Random(seed);
            int[] cs = TestArrays.balancedClasses(rnd, nSupport, c);
            int[] cq = TestArrays.balancedClasses(rnd, nQuery, c);
            INDArray centres = TestArrays.gaussian(rnd, dt, c, d);
            INDArray f = TestArrays.gaussian(rnd, dt, nSupport + nQuery, d).muli(1.5);
            for (int i = 0; i < nSupport + nQuery; i++) {
                int cls = i < nSupport ? cs[i] : cq[i - nSupport];
                f.getRow(i).addi(centres.getRow(cls));
            }
            return new Problem(f, TestArrays.oneHot(dt, c, cs), TestArrays.oneHot(dt, c, cq),
                    nSupport);
        }

        Map<String, INDArray> placeholders() {
            return Map.of("ySupport", ySupport, "yQuery", yQuery);
        }

        RidgeReference.Values reference(double lambda) {
            return RidgeReference.compute(features.toDoubleMatrix(), nSupport,
                    ySupport.toDoubleMatrix(), yQuery.toDoubleMatrix(), lambda);
        }
    }

    /** Graph with features as a VARIABLE "features", labels as placeholders. */
    static SameDiff graph(Problem pr, String scope) {
        SameDiff sd = SameDiff.create();
        DataType dt = pr.features().dataType();
        SDVariable f = sd.var("features", pr.features().dup());
        SDVariable ys = sd.placeHolder("ySupport", dt, pr.ySupport().shape());
        SDVariable yq = sd.placeHolder("yQuery", dt, pr.yQuery().shape());
        RidgeObjective.Result r = RidgeObjective.build(sd, scope, f, pr.nSupport(), ys, yq);
        sd.setLossVariables(r.loss().name());
        return sd;
    }

    @Test
    void lossAndAccuraciesMatchPlainJavaReference() {
        int[][] shapes = {{N_SUPPORT, N_QUERY, D, C}, {10, 7, 3, 4}, {30, 30, 8, 10}};
        for (int[] shape : shapes) {
            Problem pr = Problem.random(shape[0] * 131L + shape[3], shape[0], shape[1], shape[2],
                    shape[3], DataType.DOUBLE);
            SameDiff sd = graph(pr, "meta");
            Map<String, INDArray> out = sd.output(pr.placeholders(), "meta/loss",
                    "meta/queryError", "meta/penalty", "meta/supportAccuracy",
                    "meta/queryAccuracy", "meta/w");
            RidgeReference.Values ref = pr.reference(LAMBDA);
            double loss = out.get("meta/loss").getDouble(0);
            double rel = Math.abs(loss - ref.loss()) / Math.abs(ref.loss());
            System.out.printf("ridge reference %s: loss %.15f ref %.15f rel %.2e, acc %s/%s%n",
                    Arrays.toString(shape), loss, ref.loss(), rel,
                    out.get("meta/supportAccuracy").getDouble(0),
                    out.get("meta/queryAccuracy").getDouble(0));
            assertTrue(rel < 1e-10, "loss " + loss + " vs reference " + ref.loss());
            assertEquals(ref.queryError(), out.get("meta/queryError").getDouble(0),
                    1e-10 * ref.queryError());
            assertEquals(ref.penalty(), out.get("meta/penalty").getDouble(0),
                    1e-10 * ref.penalty());
            assertEquals(ref.supportAccuracy(), out.get("meta/supportAccuracy").getDouble(0), 0);
            assertEquals(ref.queryAccuracy(), out.get("meta/queryAccuracy").getDouble(0), 0);
            assertTrue(Nd4j.create(ref.w()).equalsWithEps(out.get("meta/w"), 1e-10));
        }
    }

    @Test
    void targetsAreCentredWithUnitRows() {
        Problem pr = Problem.random(7, N_SUPPORT, 9, D, C, DataType.DOUBLE);
        SameDiff sd = SameDiff.create();
        SDVariable ys = sd.placeHolder("ySupport", DataType.DOUBLE, N_SUPPORT, C);
        SDVariable yq = sd.placeHolder("yQuery", DataType.DOUBLE, 9, C);
        RidgeObjective.Targets t = RidgeObjective.targets(sd, "tg", ys, yq);
        assertEquals("tg/targetSupport", t.support().name());
        INDArray tq = sd.output(pr.placeholders(), t.query().name()).get(t.query().name());
        // one-hot: (y − 1/C)·√(C/(C−1)), every row unit norm
        double s = Math.sqrt(C / (C - 1.0));
        INDArray expected = pr.yQuery().sub(1.0 / C).muli(s);
        assertTrue(expected.equalsWithEps(tq, 1e-14));
        assertEquals(0.0, tq.sumNumber().doubleValue(), 1e-13);
    }

    @Test
    void gradientWrtFeaturesMatchesFiniteDifferences() {
        Problem pr = Problem.random(3, N_SUPPORT, N_QUERY, D, C, DataType.DOUBLE);
        SameDiff sd = graph(pr, "meta");
        FiniteDifference fd = new FiniteDifference(sd, "meta/loss", pr.placeholders());
        System.out.println("ridge " + fd.assertGradient("features", 1e-5));
    }

    @Test
    void gradientWrtPlaceholderFeaturesMatchesFiniteDifferences() {
        // base-model outputs arrive as placeholders in some tests of the lead's code
        Problem pr = Problem.random(4, 10, 8, 3, 4, DataType.DOUBLE);
        SameDiff sd = SameDiff.create();
        SDVariable f = sd.placeHolder("features", DataType.DOUBLE, -1, 3);
        SDVariable ys = sd.placeHolder("ySupport", DataType.DOUBLE, 10, 4);
        SDVariable yq = sd.placeHolder("yQuery", DataType.DOUBLE, 8, 4);
        RidgeObjective.Result r = RidgeObjective.build(sd, "meta", f, 10, 8, ys, yq, 0.3);
        sd.setLossVariables(r.loss().name());
        sd.createGradFunction("features");
        Map<String, INDArray> ph = new HashMap<>(pr.placeholders());
        ph.put("features", pr.features());
        FiniteDifference fd = new FiniteDifference(sd, "meta/loss", ph);
        System.out.println("ridge placeholder " + fd.assertGradient("features", 1e-5));
        double loss = sd.output(ph, "meta/loss").get("meta/loss").getDouble(0);
        assertEquals(pr.reference(0.3).loss(), loss, 1e-10 * loss);
    }

    @Test
    void twoInstancesInOneGraphEqualSeparateOnes() {
        Problem p1 = Problem.random(21, N_SUPPORT, N_QUERY, D, C, DataType.DOUBLE);
        Problem p2 = Problem.random(22, N_SUPPORT, N_QUERY, D, C, DataType.DOUBLE);
        double sep1 = graph(p1, "meta").output(p1.placeholders(), "meta/loss").get("meta/loss")
                .getDouble(0);
        // p2 shares p1's labels in the joint graph, so compute its separate value that way
        Problem p2l = new Problem(p2.features(), p1.ySupport(), p1.yQuery(), N_SUPPORT);
        double sep2 = graph(p2l, null).output(p1.placeholders(), "loss").get("loss").getDouble(0);

        SameDiff sd = SameDiff.create();
        SDVariable ys = sd.placeHolder("ySupport", DataType.DOUBLE, N_SUPPORT, C);
        SDVariable yq = sd.placeHolder("yQuery", DataType.DOUBLE, N_QUERY, C);
        SDVariable f1 = sd.var("f1", p1.features().dup());
        SDVariable f2 = sd.var("f2", p2.features().dup());
        RidgeObjective.Result r1;
        RidgeObjective.Result r2;
        RidgeObjective.Result r2shared;
        try (NameScope u = sd.withNameScope("unroll")) {
            try (NameScope t = sd.withNameScope("t00")) {
                r1 = RidgeObjective.build(sd, "meta", f1, N_SUPPORT, ys, yq);
            }
            try (NameScope t = sd.withNameScope("t01")) {
                r2 = RidgeObjective.build(sd, "meta", f2, N_SUPPORT, ys, yq);
            }
            // third instance reusing prepared targets
            RidgeObjective.Targets tg = RidgeObjective.targets(sd, "targets", ys, yq);
            try (NameScope t = sd.withNameScope("t02")) {
                r2shared = RidgeObjective.build(sd, "meta", f2, N_SUPPORT, N_QUERY, tg, LAMBDA);
            }
        }
        assertEquals("unroll/t00/meta/loss", r1.loss().name());
        assertEquals("unroll/t01/meta/loss", r2.loss().name());
        assertEquals("unroll/t02/meta/queryAccuracy", r2shared.queryAccuracy().name());
        assertEquals("unroll/t01/meta/w", r2.weights().name());
        SDVariable total = r1.loss().add("total", r2.loss()).add("total2", r2shared.loss());
        sd.setLossVariables(total.name());

        Map<String, INDArray> out = sd.output(p1.placeholders(), r1.loss().name(),
                r2.loss().name(), r2shared.loss().name());
        assertEquals(sep1, out.get(r1.loss().name()).getDouble(0), 0);
        assertEquals(sep2, out.get(r2.loss().name()).getDouble(0), 0);
        assertEquals(sep2, out.get(r2shared.loss().name()).getDouble(0), 0);

        Map<String, INDArray> g = sd.calculateGradients(p1.placeholders(), "f1", "f2");
        INDArray g1 = graph(p1, "m").calculateGradients(p1.placeholders(), "features")
                .get("features");
        INDArray g2 = graph(p2l, "m").calculateGradients(p1.placeholders(), "features")
                .get("features");
        assertTrue(g1.equalsWithEps(g.get("f1"), 1e-12));
        assertTrue(g2.muli(2).equalsWithEps(g.get("f2"), 1e-12));
    }

    @Test
    void worksInFloat() {
        Problem pd = Problem.random(5, N_SUPPORT, N_QUERY, D, C, DataType.DOUBLE);
        Problem pf = new Problem(pd.features().castTo(DataType.FLOAT),
                pd.ySupport().castTo(DataType.FLOAT), pd.yQuery().castTo(DataType.FLOAT),
                N_SUPPORT);
        SameDiff sd = graph(pf, "meta");
        INDArray loss = sd.output(pf.placeholders(), "meta/loss").get("meta/loss");
        assertEquals(DataType.FLOAT, loss.dataType());
        double ref = pd.reference(LAMBDA).loss();
        assertEquals(ref, loss.getDouble(0), 1e-4 * ref);
        INDArray gf = sd.calculateGradients(pf.placeholders(), "features").get("features");
        INDArray gd = graph(pd, "meta").calculateGradients(pd.placeholders(), "features")
                .get("features");
        assertEquals(DataType.FLOAT, gf.dataType());
        double err = gf.castTo(DataType.DOUBLE).sub(gd).norm2Number().doubleValue()
                / gd.norm2Number().doubleValue();
        assertTrue(err < 1e-3, "float gradient relative error " + err);
    }

    @Test
    void usesOnlyOpsWithVerifiedGradientsAndFewOps() {
        Problem pr = Problem.random(6, N_SUPPORT, N_QUERY, D, C, DataType.DOUBLE);
        SameDiff sd = graph(pr, "meta");
        List<String> forbidden = List.of("matrix_inverse", "gather", "variance", "cumsum",
                "clip_by_norm");
        int ops = 0;
        for (SameDiffOp op : sd.getOpsInScope("meta")) {
            String name = op.getOp().opName();
            assertTrue(forbidden.stream().noneMatch(name::contains), "forbidden op " + name);
            assertTrue(!op.getOp().getClass().getPackageName().contains(".loss"),
                    "loss op " + op.getOp().getClass());
            ops++;
        }
        System.out.println("ridge ops in scope (targets + objective + accuracies): " + ops);
        assertTrue(ops <= 40, "too many ops: " + ops);
    }

    @Test
    void rejectsInconsistentInputs() {
        SameDiff sd = SameDiff.create();
        SDVariable f = sd.placeHolder("f", DataType.DOUBLE, 20, 4);
        SDVariable ys = sd.placeHolder("ys", DataType.DOUBLE, 12, 3);
        SDVariable yq = sd.placeHolder("yq", DataType.DOUBLE, 12, 3);
        assertThrows(IllegalArgumentException.class,
                () -> RidgeObjective.build(sd, "a", f, 12, ys, yq));
        SDVariable yf = sd.placeHolder("yf", DataType.FLOAT, 8, 3);
        SDVariable f2 = sd.placeHolder("f2", DataType.DOUBLE, 20, 4);
        assertThrows(IllegalArgumentException.class,
                () -> RidgeObjective.build(sd, "b", f2, 12, 8, ys, yf, 0.1));
        SDVariable fUnknownD = sd.placeHolder("f3", DataType.DOUBLE, 24, -1);
        assertThrows(IllegalArgumentException.class,
                () -> RidgeObjective.build(sd, "c", fUnknownD, 12, ys, yq));
    }
}
