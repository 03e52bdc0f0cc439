package org.metaunsup.unroll;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.testing.DoublePrecision;

/**
 * Input-permutation behaviour of the unroll graph ({@code tiny}).
 *
 * <p>Re-ordering the pixels by σ (perm placeholder π → π∘σ) together with the rows of W¹ and
 * V¹ leaves the base model's function unchanged. The learned rule, however, is not
 * equivariant at the input layer by design (docs/METHOD.md#rule-hidden-state, #numerics): h⁰ is
 * computed for x⁰ too, with
 * the unit-position code sin/cos(u_i) and the UnitMix convolutions along the unit axis, so
 * h⁰ of pixel i depends on the pixel's position and its neighbours. h⁰ feeds the "lower"
 * readouts of W¹'s direction (terms 5–12), hence after one inner step everything is
 * unchanged except W¹ and V¹ (V gets W's change), and from the second step on every output
 * moves. These tests pin exactly that, so a change of the contract is noticed.
 */
@ExtendWith(DoublePrecision.class)
class PermutationInvarianceTest {

    private static List<String> outputs(UnrollGraph g) {
        List<String> names = new ArrayList<>(g.outputPhiNames());
        if (g.hasObjective()) {
            for (int t = 0; t < g.steps(); t++) {
                names.add(GraphNames.stepLoss(t));
                names.add(GraphNames.stepSupportAccuracy(t));
                names.add(GraphNames.stepQueryAccuracy(t));
            }
            names.add(GraphNames.META_LOSS);
        }
        return names;
    }

    /** The perm placeholder acts exactly like permuting the columns of every input batch. */
    @Test
    void permPlaceholderEqualsPermutingTheData() {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        BaseModelConfig base = cfg.base();
        ThetaSpec spec = UnrollFixture.spec(cfg, base);
        UnrollGraph g = UnrollGraph.build(cfg.graph(), base, 2, Theta.init(spec, 81, DataType.DOUBLE), true,
                DataType.DOUBLE);
        TruncationInputs in = UnrollFixture.inputs(cfg, base, 2, 82);
        int[] identity = new int[base.inputWidth()];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = i;
        }
        List<INDArray> xs = new ArrayList<>();
        for (INDArray x : in.unlabelled()) {
            xs.add(columns(x, in.perm()));
        }
        TruncationInputs permuted = new TruncationInputs(in.phi(), identity, xs, columns(in.supportX(), in.perm()),
                in.supportY(), columns(in.queryX(), in.perm()), in.queryY(), in.classes());
        List<String> names = outputs(g);
        Map<String, INDArray> a = g.sameDiff().output(in.placeholders(g), names);
        Map<String, INDArray> b = g.sameDiff().output(permuted.placeholders(g), names);
        for (String n : names) {
            double d = a.get(n).sub(b.get(n)).amaxNumber().doubleValue();
            assertTrue(d <= 1e-15 * Math.max(1, UnrollFixture.maxAbs(a.get(n))), n + " differs by " + d);
        }
    }

    /**
     * σ on the pixels with W¹, V¹ rows permuted alike: the forward pass and hence the
     * meta-objective at a given φ are unchanged, and one inner step changes every base param
     * but W¹, V¹ identically; W¹ and V¹ get a different (not merely re-ordered) change.
     */
    @Test
    void pixelsWithFirstLayerRowsAfterOneStep() {
        ExperimentConfig cfg = UnrollFixture.tiny(0.05);
        BaseModelConfig base = cfg.base();
        ThetaSpec spec = UnrollFixture.spec(cfg, base);
        Theta theta = Theta.init(spec, 83, DataType.DOUBLE);
        TruncationInputs in = UnrollFixture.inputs(cfg, base, 2, 84);
        int[] sigma = Permutation.random(base.inputWidth(), new SplittableRandom(85));
        TruncationInputs moved = permuted(in, sigma);

        UnrollGraph step = UnrollGraph.build(cfg.graph(), base, 1, theta, false, DataType.DOUBLE);
        List<String> names = outputs(step);
        Map<String, INDArray> a = step.sameDiff().output(in.placeholders(step), names);
        Map<String, INDArray> b = step.sameDiff().output(moved.placeholders(step), names);
        double worstSame = 0;
        double w1Change = 0;
        for (String n : names) {
            INDArray x = a.get(n);
            INDArray y = b.get(n);
            boolean firstLayer = n.equals(GraphNames.outPhi("W1")) || n.equals(GraphNames.outPhi("V1"));
            if (firstLayer) {
                y = rows(y, inverse(sigma));                     // back to the original pixel order
                String p = n.substring(n.length() - 2);
                INDArray before = p.equals("W1") ? in.phi().w().get(0) : in.phi().v().get(0);
                double rel = x.sub(y).norm2Number().doubleValue() / x.sub(before).norm2Number().doubleValue();
                System.out.printf("pixel permutation, K=1: %s change differs by %.3e relative%n", p, rel);
                assertTrue(rel > 1e-6, p + ": the input layer's rule is expected to see pixel order, but"
                        + " the change only moved with the rows (rel diff " + rel + ")");
                w1Change = Math.max(w1Change, rel);
            } else {
                double d = x.sub(y).amaxNumber().doubleValue() / Math.max(1e-300, UnrollFixture.maxAbs(x));
                worstSame = Math.max(worstSame, d);
                assertTrue(d <= 1e-12, n + " should not depend on the pixel order, rel diff " + d);
            }
        }
        System.out.printf("pixel permutation, K=1: every other param max rel diff %.3e%n", worstSame);

        // With the objective, K=2: the meta-loss moves only through the first layer's update.
        UnrollGraph unroll = UnrollGraph.build(cfg.graph(), base, 2, theta, true, DataType.DOUBLE);
        List<String> all = outputs(unroll);
        Map<String, INDArray> c = unroll.sameDiff().output(in.placeholders(unroll), all);
        Map<String, INDArray> d = unroll.sameDiff().output(moved.placeholders(unroll), all);
        for (int t = 0; t < 2; t++) {
            double la = c.get(GraphNames.stepLoss(t)).getDouble(0);
            double lb = d.get(GraphNames.stepLoss(t)).getDouble(0);
            System.out.printf("pixel permutation, K=2: step %d meta-loss %.15f vs %.15f (rel %.3e)%n", t, la, lb,
                    Math.abs(la - lb) / Math.abs(la));
            assertTrue(Math.abs(la - lb) <= 1e-2 * Math.abs(la), "meta-loss moved too much: " + la + " vs " + lb);
        }
    }

    /** The same truncation with pixels re-ordered by σ and W¹, V¹ rows re-ordered alike. */
    private static TruncationInputs permuted(TruncationInputs in, int[] sigma) {
        int[] perm = new int[sigma.length];
        for (int j = 0; j < sigma.length; j++) {
            perm[j] = in.perm()[sigma[j]];                         // x[:, perm'] = (x[:, perm])[:, σ]
        }
        List<INDArray> w = new ArrayList<>(in.phi().w());
        List<INDArray> v = new ArrayList<>(in.phi().v());
        w.set(0, rows(w.get(0), sigma));
        v.set(0, rows(v.get(0), sigma));
        return new TruncationInputs(new PhiState(w, v, in.phi().b()), perm, in.unlabelled(), in.supportX(),
                in.supportY(), in.queryX(), in.queryY(), in.classes());
    }

    /** out[:, j] = x[:, p[j]]. */
    private static INDArray columns(INDArray x, int[] p) {
        INDArray out = Nd4j.create(x.dataType(), x.shape());
        for (int j = 0; j < p.length; j++) {
            out.putColumn(j, x.getColumn(p[j]).dup());
        }
        return out;
    }

    /** out[i, :] = x[p[i], :]. */
    private static INDArray rows(INDArray x, int[] p) {
        INDArray out = Nd4j.create(x.dataType(), x.shape());
        for (int i = 0; i < p.length; i++) {
            out.putRow(i, x.getRow(p[i]).dup());
        }
        return out;
    }

    private static int[] inverse(int[] p) {
        int[] inv = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            inv[p[i]] = i;
        }
        return inv;
    }
}
