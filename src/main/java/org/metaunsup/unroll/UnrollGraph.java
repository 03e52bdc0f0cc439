package org.metaunsup.unroll;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.basemodel.BaseModelGraph;
import org.metaunsup.basemodel.PhiVars;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.GraphConfig;
import org.metaunsup.config.ObjectiveConfig;
import org.metaunsup.metaobjective.RidgeObjective;
import org.metaunsup.rule.LayerWidths;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaGraph;
import org.metaunsup.rule.ThetaSpec;
import org.metaunsup.rule.UpdateRuleGraph;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One truncation as one SameDiff graph: K inner steps of the learned rule, and (optionally)
 * the meta-objective after each step, summed (docs/METHOD.md#unroll). φ, the unlabelled batches, the
 * labelled support/query batch and the input permutation are placeholders; θ are variables.
 * The graph is a pure function of its inputs: no random op inside.
 */
public final class UnrollGraph {

    private final SameDiff sd;
    private final GraphConfig config;
    private final BaseModelConfig base;
    private final LayerWidths widths;
    private final int steps;
    private final boolean withObjective;
    private final DataType dtype;
    private final ThetaSpec spec;
    private final List<String> thetaNames = new ArrayList<>();
    private final Map<BaseModelConfig, Map<String, INDArray>> widthInputs = new HashMap<>();

    private UnrollGraph(SameDiff sd, GraphConfig config, LayerWidths widths, int steps,
                        boolean withObjective, DataType dtype, ThetaSpec spec) {
        this.sd = sd;
        this.config = config;
        this.widths = widths;
        this.base = widths.base();
        this.steps = steps;
        this.withObjective = withObjective;
        this.dtype = dtype;
        this.spec = spec;
    }

    /**
     * Builds the graph.
     *
     * @param config rule widths, inner batch, η and objective
     * @param base base model shape (may differ from the config's default)
     * @param steps K, inner steps in the unroll
     * @param theta initial θ values
     * @param withObjective whether to evaluate the meta-objective after each step
     * @param dtype floating type of every tensor
     * @return the built graph
     */
    public static UnrollGraph build(GraphConfig config, BaseModelConfig base, int steps, Theta theta,
                                    boolean withObjective, DataType dtype) {
        return build(config, LayerWidths.fixed(base), steps, theta, withObjective, dtype);
    }

    /**
     * Builds a graph whose free widths are taken from each pass's placeholders: with
     * {@link LayerWidths#freeHidden} one graph (and one gradient-function build) serves every
     * architecture of a depth, with the same numbers as a graph built for each
     * (docs/BENCHMARKS.md, "One graph per depth").
     *
     * @param config rule widths, inner batch, η and objective
     * @param widths base model shape with its free widths
     * @param steps K, inner steps in the unroll
     * @param theta initial θ values
     * @param withObjective whether to evaluate the meta-objective after each step
     * @param dtype floating type of every tensor
     * @return the built graph
     */
    public static UnrollGraph build(GraphConfig config, LayerWidths widths, int steps, Theta theta,
                                    boolean withObjective, DataType dtype) {
        if (steps < 1) {
            throw new IllegalArgumentException("an unroll needs at least one inner step");
        }
        SameDiff sd = SameDiff.create();
        UnrollGraph g = new UnrollGraph(sd, config, widths, steps, withObjective, dtype, theta.spec());
        g.emit(theta);
        return g;
    }

    private void emit(Theta theta) {
        int depth = base.depth();
        int batch = config.innerBatch();
        List<SDVariable> w = new ArrayList<>();
        List<SDVariable> v = new ArrayList<>();
        List<SDVariable> b = new ArrayList<>();
        for (int l = 1; l <= depth; l++) {
            w.add(sd.placeHolder(GraphNames.phiW(l), dtype, widths.dim(l - 1), widths.dim(l)));
            v.add(sd.placeHolder(GraphNames.phiV(l), dtype, widths.dim(l - 1), widths.dim(l)));
            b.add(sd.placeHolder(GraphNames.phiB(l), dtype, widths.dim(l)));
        }
        PhiVars phi = new PhiVars(w, v, b);
        SDVariable perm = sd.placeHolder(GraphNames.PERM, dtype, base.inputWidth(), base.inputWidth());
        ThetaGraph thetaGraph = new ThetaGraph(sd, theta, dtype);
        theta.spec().tensors().forEach(t -> thetaNames.add(ThetaGraph.PREFIX + t.name()));
        UpdateRuleGraph rule = new UpdateRuleGraph(thetaGraph, widths, batch, config.eta(), dtype, withObjective);
        ObjectiveConfig obj = config.objective();
        SDVariable labelled = null;
        RidgeObjective.Targets targets = null;
        if (withObjective) {
            labelled = sd.mmul(sd.placeHolder(GraphNames.LABELLED_X, dtype, obj.supportSize() + obj.querySize(),
                    base.inputWidth()), perm);
            targets = RidgeObjective.targets(sd, "targets",
                    sd.placeHolder(GraphNames.SUPPORT_Y, dtype, obj.supportSize(), obj.classes()),
                    sd.placeHolder(GraphNames.QUERY_Y, dtype, obj.querySize(), obj.classes()));
        }
        SDVariable total = null;
        for (int t = 0; t < steps; t++) {
            try (var s = sd.withNameScope(GraphNames.stepScope(t))) {
                SDVariable x = sd.placeHolder(GraphNames.unlabelled(t), dtype, batch, base.inputWidth());
                phi = rule.step(phi, sd.mmul(x, perm));
            }
            if (withObjective) {
                SDVariable features;
                RidgeObjective.Result r;
                try (var s = sd.withNameScope(GraphNames.stepScope(t) + "/meta")) {
                    // Support and query go through the base model together (BN over both).
                    features = BaseModelGraph.forward(sd, phi, labelled, base.activation()).top();
                    r = RidgeObjective.build(sd, null, features, base.topWidth(), obj.supportSize(), obj.querySize(), targets,
                            obj.lambda());
                }
                sd.identity(GraphNames.stepLoss(t), r.loss());
                sd.identity(GraphNames.stepSupportAccuracy(t), r.supportAccuracy());
                sd.identity(GraphNames.stepQueryAccuracy(t), r.queryAccuracy());
                total = total == null ? r.loss() : total.add(r.loss());
            }
        }
        if (withObjective) {
            sd.identity(GraphNames.META_LOSS, total);
            sd.setLossVariables(GraphNames.META_LOSS);
        }
        for (int l = 1; l <= depth; l++) {
            sd.identity(GraphNames.outPhi("W" + l), phi.w(l));
            sd.identity(GraphNames.outPhi("V" + l), phi.v(l));
            sd.identity(GraphNames.outPhi("b" + l), phi.b(l));
        }
    }

    /** @return unlabelled examples per inner step */
    public int batch() {
        return config.innerBatch();
    }

    /** @return labelled support rows */
    public int supportSize() {
        return config.objective().supportSize();
    }

    /** @return labelled query rows */
    public int querySize() {
        return config.objective().querySize();
    }

    /** @return N-way */
    public int classes() {
        return config.objective().classes();
    }

    /** @return the per-step meta-loss output names */
    public List<String> stepLossNames() {
        List<String> names = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            names.add(GraphNames.stepLoss(t));
        }
        return names;
    }

    /**
     * Copies θ values into the graph's variables: one assign per tensor from the views of θ's
     * flat buffer, no graph rebuild (meta-training calls this with every new θ).
     *
     * @param theta new values, of the spec the graph was built with
     * @throws IllegalArgumentException when θ belongs to another spec
     */
    public void loadTheta(Theta theta) {
        spec.requireSame(theta.spec(), "theta");
        // A gradient function built here shares these arrays; one loaded from a GraphStore has its own.
        SameDiff grad = sd.getFunction("grad");
        for (String name : thetaNames) {
            INDArray v = theta.get(name.substring(ThetaGraph.PREFIX.length()));
            INDArray mine = sd.getVariable(name).getArr();
            mine.assign(v.dataType() == dtype ? v : v.castTo(dtype));
            INDArray theirs = grad != null && grad.hasVariable(name) ? grad.getVariable(name).getArr() : null;
            if (theirs != null && theirs != mine) {
                theirs.assign(mine);
            }
        }
    }

    /** @return a copy of the θ values currently in the graph */
    public Theta readTheta() {
        Map<String, INDArray> v = new LinkedHashMap<>();
        for (String name : thetaNames) {
            v.put(name.substring(ThetaGraph.PREFIX.length()), sd.getVariable(name).getArr());
        }
        return new Theta(spec, v);
    }

    /** @return the θ spec the graph was built for */
    public ThetaSpec thetaSpec() {
        return spec;
    }

    /** @return the names of the θ variables, in canonical order */
    public List<String> thetaNames() {
        return thetaNames;
    }

    /** @return the SameDiff graph */
    public SameDiff sameDiff() {
        return sd;
    }

    /** @return K */
    public int steps() {
        return steps;
    }

    /**
     * @return the base model shape the graph was built from (with free widths, only its depth,
     *     input, top and activation bind: see {@link #widths()})
     */
    public BaseModelConfig base() {
        return base;
    }

    /** @return which widths are fixed and which each pass's placeholders give */
    public LayerWidths widths() {
        return widths;
    }

    /**
     * @param other an architecture
     * @return whether this graph runs it
     */
    public boolean accepts(BaseModelConfig other) {
        return widths.accepts(other);
    }

    /**
     * @param actual the architecture of a pass ({@link #accepts})
     * @return the placeholder values that depend on its free widths (empty for a fixed graph)
     */
    public Map<String, INDArray> widthInputs(BaseModelConfig actual) {
        if (!widths.anyFree()) {
            return Map.of();
        }
        // The unit code is n·B·2 scalar writes: computed once per width, read-only after.
        Map<String, INDArray> m = widthInputs.get(actual);
        if (m == null) {
            if (widthInputs.size() >= 16) {
                widthInputs.clear();
            }
            m = widths.inputs(actual, config.innerBatch(), spec.rule().gradChannels(), dtype);
            widthInputs.put(actual, m);
        }
        return m;
    }

    /** @return whether the meta-objective is part of the graph */
    public boolean hasObjective() {
        return withObjective;
    }

    /** @return the graph's floating type */
    public DataType dtype() {
        return dtype;
    }

    /** @return names of the updated base params, in φ order (W, V, b per layer) */
    public List<String> outputPhiNames() {
        List<String> names = new ArrayList<>();
        for (int l = 1; l <= base.depth(); l++) {
            names.add(GraphNames.outPhi("W" + l));
            names.add(GraphNames.outPhi("V" + l));
            names.add(GraphNames.outPhi("b" + l));
        }
        return names;
    }
}
