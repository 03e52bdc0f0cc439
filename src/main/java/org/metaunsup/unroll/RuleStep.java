package org.metaunsup.unroll;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.config.BaseModelConfig;
import org.metaunsup.config.GraphConfig;
import org.metaunsup.rule.Theta;
import org.metaunsup.rule.ThetaSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward rule step φ, x → φ′: one inner step of the learned rule (docs/METHOD.md#rule), for one
 * (graph config, architecture, θ spec, dtype). It owns a one-step graph (K = 1, no objective),
 * built once; new θ values are copied into it with {@link #loadTheta} (no rebuild), so the
 * same instance serves a frozen rule (evaluation, demo, bench) and a changing one
 * (meta-training). Every caller that applies the rule without a meta-gradient goes through this
 * class. Not thread-safe: one instance per thread.
 */
public final class RuleStep {

    private final UnrollGraph graph;
    private int[] lastPerm;
    private INDArray lastPermMatrix;

    /**
     * Builds the one-step graph.
     *
     * @param config rule widths, inner batch and η
     * @param base the base model's shape
     * @param theta the rule's values (their spec is fixed for this instance)
     * @param dtype floating type of the graph
     */
    public RuleStep(GraphConfig config, BaseModelConfig base, Theta theta, DataType dtype) {
        this.graph = UnrollGraph.build(config, base, 1, theta, false, dtype);
    }

    /**
     * @param theta new values of the same spec
     * @throws IllegalArgumentException when θ belongs to another spec
     */
    public void loadTheta(Theta theta) {
        graph.loadTheta(theta);
    }

    /**
     * Applies one inner step: p ← (1−η)·p − η·g for every base param, g from the rule on x.
     *
     * @param phi base params before the step (any floating type; cast to the graph's)
     * @param perm the task's input permutation (x[:, perm])
     * @param x one unlabelled batch [inner batch, n_0], unpermuted
     * @return base params after the step, in the graph's type
     */
    public PhiState apply(PhiState phi, int[] perm, INDArray x) {
        Map<String, INDArray> ph = new HashMap<>();
        TruncationInputs.putPhi(ph, graph, phi);
        ph.put(GraphNames.PERM, permMatrix(perm));
        ph.put(GraphNames.unlabelled(0), TruncationInputs.checked(x, graph.dtype(), GraphNames.unlabelled(0),
                graph.batch(), graph.base().inputWidth()));
        return TruncationInputs.phiAfter(graph, graph.sameDiff().output(ph, graph.outputPhiNames()));
    }

    /** A task keeps its permutation for all its steps: build its matrix once. */
    private INDArray permMatrix(int[] perm) {
        if (!Arrays.equals(perm, lastPerm)) {
            lastPermMatrix = Permutation.matrix(perm, graph.dtype());
            lastPerm = perm.clone();
        }
        return lastPermMatrix;
    }

    /** @return the θ spec this step was built for */
    public ThetaSpec thetaSpec() {
        return graph.thetaSpec();
    }

    /** @return the base model shape */
    public BaseModelConfig base() {
        return graph.base();
    }

    /** @return the underlying one-step graph (for op counts and profiling) */
    public UnrollGraph graph() {
        return graph;
    }
}
