package org.metaunsup.rule;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.metaunsup.basemodel.BaseModelGraph;
import org.metaunsup.basemodel.PhiVars;
import org.metaunsup.config.Activation;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.ConfigLoader;
import org.metaunsup.config.ExperimentConfig;
import org.metaunsup.testing.DoublePrecision;
import org.metaunsup.testing.FiniteDifference;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Double-precision finite-difference checks of every building block of the rule with respect to
 * its inputs (the paths the meta-gradient takes through φ and through earlier inner steps).
 */
@ExtendWith(DoublePrecision.class)
class RuleBlocksGradientTest {
    static final ExperimentConfig CFG = ConfigLoader.load("tiny");
    static final int B = 8;

    private static INDArray randn(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    private static SDVariable lin(SameDiff sd, SDVariable out, long seed, long... shape) {
        return out.mul(sd.constant(randn(seed, shape))).sum();
    }

    private ThetaGraph theta(SameDiff sd) {
        ThetaSpec spec = new ThetaSpec(CFG.rule(), CFG.base().topWidth());
        return new ThetaGraph(sd, Theta.init(spec, 7, DataType.DOUBLE), DataType.DOUBLE);
    }

    private void report(SameDiff sd, String loss, String... inputs) {
        report(sd, new HashMap<>(), loss, inputs);
    }

    private void report(SameDiff sd, Map<String, INDArray> placeholders, String loss, String... inputs) {
        loss = sd.getVariable(loss).name();
        sd.setLossVariables(loss);
        // A block uses only some of a free layer's inputs; SameDiff refuses the others.
        Map<String, INDArray> used = new HashMap<>(placeholders);
        used.keySet().removeIf(name -> !sd.hasVariable(name));
        FiniteDifference fd = new FiniteDifference(sd, loss, used).absFloor(1e-4);
        for (String in : inputs) {
            fd.assertGradient(in, 1e-4);
        }
    }

    @Test
    void hidden() {
        hidden(false);
    }

    /** The same with n free: the unit code and the bias reshape come from placeholders and −1 shapes. */
    @Test
    void hiddenFreeWidth() {
        hidden(true);
    }

    private void hidden(boolean free) {
        SameDiff sd = SameDiff.create();
        ThetaGraph th = theta(sd);
        RuleOps ops = new RuleOps(th, true);
        BaseModelConfig base = new BaseModelConfig(new int[] {6, 5, 4}, Activation.RELU);
        LayerWidths widths = free ? LayerWidths.freeHidden(base) : LayerWidths.fixed(base);
        HiddenStateGraph hg = new HiddenStateGraph(th, ops, DataType.DOUBLE, widths);
        int n = 5;
        SDVariable x = sd.var("x", randn(1, B, n));
        SDVariable z = sd.var("z", randn(2, B, n));
        SDVariable d = sd.var("d", randn(3, n, B, CFG.rule().delta()));
        SDVariable b = sd.var("b", randn(4, n));
        SDVariable wIn = sd.var("wIn", randn(5, 6, n));
        SDVariable wOut = sd.var("wOut", randn(6, n, 4));
        SDVariable h = hg.build(x, z, d, b, wIn, wOut, 1, B);
        SDVariable loss = lin(sd, h, 9, n, B, CFG.rule().hidden());
        loss.rename("L");
        report(sd, widths.inputs(base, B, CFG.rule().gradChannels(), DataType.DOUBLE), "L",
                "x", "z", "d", "b", "wIn", "wOut");
    }

    @Test
    void direction() {
        direction(new int[] {6, 5, 4}, 1, false);
    }

    /** Upper width free (the first layer of a graph with free hidden widths). */
    @Test
    @Tag("slow")
    void directionFreeUpperWidth() {
        direction(new int[] {6, 5, 4}, 1, true);
    }

    /** Both widths free (a middle layer): the merge's reshape takes w's shape at run time. */
    @Test
    void directionBothWidthsFree() {
        direction(new int[] {7, 6, 5, 4}, 2, true);
    }

    /** Lower width free (the top layer). */
    @Test
    @Tag("slow")
    void directionFreeLowerWidth() {
        direction(new int[] {7, 6, 5}, 2, true);
    }

    private void direction(int[] n, int layer, boolean free) {
        SameDiff sd = SameDiff.create();
        ThetaGraph th = theta(sd);
        BaseModelConfig base = new BaseModelConfig(n, Activation.RELU);
        LayerWidths widths = free ? LayerWidths.freeHidden(base) : LayerWidths.fixed(base);
        WeightUpdateGraph wu = new WeightUpdateGraph(th, DataType.DOUBLE, widths);
        int nIn = n[layer - 1], nOut = n[layer], H = CFG.rule().hidden();
        SDVariable w = sd.var("w", randn(1, nIn, nOut));
        SDVariable hu = sd.var("hu", randn(2, nOut, B, H));
        SDVariable hl = sd.var("hl", randn(3, nIn, B, H));
        SDVariable xu = sd.var("xu", randn(4, B, nOut));
        SDVariable xl = sd.var("xl", randn(5, B, nIn));
        FusedReadouts ru = new FusedReadouts(th, hu, layer, widths.dim(layer), B);
        FusedReadouts rl = new FusedReadouts(th, hl, layer - 1, widths.dim(layer - 1), B);
        SDVariable g = wu.direction("W", w, ru, rl, xu, xl, B);
        SDVariable bias = wu.biasDirection(ru);
        SDVariable loss = lin(sd, g, 9, nIn, nOut).add(lin(sd, bias, 10, nOut));
        loss.rename("L");
        report(sd, widths.inputs(base, B, CFG.rule().gradChannels(), DataType.DOUBLE), "L",
                "w", "hu", "hl", "xu", "xl");
    }

    @Test
    void topDownAndBase() {
        SameDiff sd = SameDiff.create();
        ThetaGraph th = theta(sd);
        TopDownGraph td = new TopDownGraph(th, new RuleOps(th, true));
        SDVariable xt = sd.var("xt", randn(1, B, 4));
        SDVariable loss = lin(sd, td.build(xt), 9, 4, B, CFG.rule().delta());
        loss.rename("L");
        report(sd, "L", "xt");
        SameDiff sd2 = SameDiff.create();
        SDVariable w1 = sd2.var("w1", randn(2, 16, 6));
        SDVariable w2 = sd2.var("w2", randn(3, 6, 4));
        SDVariable b1 = sd2.var("b1", randn(4, 6));
        SDVariable b2 = sd2.var("b2", randn(5, 4));
        SDVariable x0 = sd2.var("x0", randn(6, B, 16));
        PhiVars phi = new PhiVars(List.of(w1, w2), List.of(w1, w2), List.of(b1, b2));
        var acts = BaseModelGraph.forward(sd2, phi, x0, Activation.RELU);
        SDVariable l2 = lin(sd2, acts.top(), 7, B, 4).add(lin(sd2, acts.z().get(1), 8, B, 6));
        l2.rename("L");
        report(sd2, "L", "w1", "w2", "b1", "x0");
    }
}
