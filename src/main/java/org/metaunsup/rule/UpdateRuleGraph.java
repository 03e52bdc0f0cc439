package org.metaunsup.rule;

import java.util.ArrayList;
import java.util.List;
import org.metaunsup.basemodel.BaseModelGraph;
import org.metaunsup.basemodel.PhiVars;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.ops.GraphOps;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Emits one inner step of the learned rule (docs/METHOD.md#rule): forward pass of the base model on
 * an unlabelled batch, the top-down signal (a), hidden states and error signals from the top
 * layer down to the input (b, c), the weight and bias directions (d, e) and the fixed-η
 * application (f). No gradient of the base model is used. One instance serves every inner step
 * of a graph (it owns the graph's shared constants).
 */
public final class UpdateRuleGraph {

    private final SameDiff sd;
    private final ThetaGraph theta;
    private final BaseModelConfig base;
    private final int batch;
    private final double eta;
    private final TopDownGraph topDown;
    private final HiddenStateGraph hidden;
    private final WeightUpdateGraph update;
    private final LayerWidths widths;

    /**
     * @param theta θ in this graph
     * @param base base model shape
     * @param batch unlabelled examples per inner step
     * @param eta inner step size η
     * @param dtype graph floating type
     * @param differentiated whether the graph will be differentiated (a meta-gradient) or only run
     *     forward (a rule step): the same values, ops chosen for the cheaper pass
     */
    public UpdateRuleGraph(ThetaGraph theta, BaseModelConfig base, int batch, double eta, DataType dtype,
                           boolean differentiated) {
        this(theta, LayerWidths.fixed(base), batch, eta, dtype, differentiated);
    }

    /**
     * @param theta θ in this graph
     * @param widths the base model shape, with the widths left free that the graph takes from its
     *     placeholders ({@link LayerWidths#inputs} feeds what depends on them)
     * @param batch unlabelled examples per inner step
     * @param eta inner step size η
     * @param dtype graph floating type
     * @param differentiated whether the graph will be differentiated (a meta-gradient) or only run
     *     forward (a rule step)
     */
    public UpdateRuleGraph(ThetaGraph theta, LayerWidths widths, int batch, double eta, DataType dtype,
                           boolean differentiated) {
        BaseModelConfig base = widths.base();
        if (base.topWidth() != theta.spec().topUnits()) {
            throw new IllegalArgumentException("theta was built for " + theta.spec().topUnits()
                    + " top units, the base model has " + base.topWidth());
        }
        this.sd = theta.sameDiff();
        this.theta = theta;
        this.base = base;
        this.batch = batch;
        this.eta = eta;
        RuleOps ops = new RuleOps(theta, differentiated);
        this.topDown = new TopDownGraph(theta, ops);
        this.widths = widths;
        this.hidden = new HiddenStateGraph(theta, ops, dtype, widths);
        this.update = new WeightUpdateGraph(theta, dtype, widths);
    }

    /**
     * One inner step.
     *
     * @param phi base params before the step
     * @param x0 unlabelled batch [B, n_0], already permuted
     * @return base params after the step
     */
    public PhiVars step(PhiVars phi, SDVariable x0) {
        int depth = base.depth();
        BaseModelGraph.Activations acts;
        try (var s = sd.withNameScope("forward")) {
            acts = BaseModelGraph.forward(sd, phi, x0, base.activation());
        }
        SDVariable d;
        try (var s = sd.withNameScope("topdown")) {
            d = topDown.build(acts.top());
        }
        FusedReadouts[] readouts = new FusedReadouts[depth + 1];
        for (int l = depth; l >= 0; l--) {
            try (var s = sd.withNameScope("layer" + l)) {
                long n = widths.dim(l);
                SDVariable h = hidden.build(acts.x().get(l), acts.z().get(l), d,
                        l >= 1 ? phi.b(l) : null, l >= 1 ? phi.w(l) : null, l < depth ? phi.w(l + 1) : null,
                        l, batch);
                readouts[l] = new FusedReadouts(theta, h, l, n, batch);
                if (l >= 1) {
                    d = errorBelow(phi.v(l), d, acts.z().get(l), readouts[l], n, widths.dim(l - 1));
                }
            }
        }
        List<SDVariable> w = new ArrayList<>();
        List<SDVariable> v = new ArrayList<>();
        List<SDVariable> b = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            try (var s = sd.withNameScope("update" + l)) {
                SDVariable xUp = acts.x().get(l);
                SDVariable xLow = acts.x().get(l - 1);
                SDVariable gw = update.direction("W", phi.w(l), readouts[l], readouts[l - 1], xUp, xLow, batch);
                SDVariable gv = theta.spec().rule().vSharesW() ? gw
                        : update.direction("V", phi.v(l), readouts[l], readouts[l - 1], xUp, xLow, batch);
                SDVariable gb = update.biasDirection(readouts[l]);
                w.add(apply(phi.w(l), gw));
                v.add(apply(phi.v(l), gv));
                b.add(apply(phi.b(l), gb));
            }
        }
        return new PhiVars(w, v, b);
    }

    /**
     * (c) δ^l = d^l ⊙ sigmoid(z^l) + Linear(h^l), sent through V^l to the layer below and
     * divided per (unit, example) by its RMS over the channels.
     */
    private SDVariable errorBelow(SDVariable v, SDVariable d, SDVariable z, FusedReadouts r, long n, long nBelow) {
        int channels = theta.spec().rule().delta();
        SDVariable gate = sd.expandDims(sd.transpose(sd.nn().sigmoid(z)), 2);         // [n, B, 1]
        SDVariable delta = GraphOps.scale(d, gate, 2).add(r.columns("delta", channels));            // [n, B, d]
        SDVariable down = sd.mmul(v, sd.reshape(delta, n, (long) batch * channels));       // n may be −1
        down = sd.reshape(down, nBelow, batch, channels);
        return GraphOps.scale(down, sd.math().rsqrt(GraphOps.square(down).mean(true, 2).add(1e-6)), 2);
    }

    /** (f) p ← (1−η)·p − η·g. */
    private SDVariable apply(SDVariable p, SDVariable g) {
        return p.mul(1.0 - eta).sub(g.mul(eta));
    }
}
