package org.metaunsup.unroll;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.rule.ThetaGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything one truncation yields, from a single forward-and-backward pass of its graph: the
 * summed meta-loss and its gradient w.r.t. every θ tensor, the per-step losses and ridge
 * accuracies, and φ after the truncation (carried into the next one).
 *
 * @param metaLoss summed meta-loss over the K steps
 * @param stepLoss meta-loss after each inner step
 * @param supportAccuracy ridge support accuracy after each step
 * @param queryAccuracy ridge query accuracy after each step
 * @param gradient ∂ metaLoss / ∂θ by canonical θ name (no prefix)
 * @param phiAfter base params after the K steps
 */
public record MetaGradient(double metaLoss, double[] stepLoss, double[] supportAccuracy, double[] queryAccuracy,
                           Map<String, INDArray> gradient, PhiState phiAfter) {

    /**
     * Runs the truncation graph once forward and once backward.
     *
     * @param graph a graph built with the objective
     * @param inputs φ and data of the truncation
     * @return the results
     */
    public static MetaGradient compute(UnrollGraph graph, TruncationInputs inputs) {
        if (!graph.hasObjective()) {
            throw new IllegalArgumentException("a meta-gradient needs a graph built with the objective");
        }
        GradientFunction.ensureBuilt(graph.sameDiff());
        List<String> outputs = new ArrayList<>(graph.outputPhiNames());
        outputs.add(GraphNames.META_LOSS);
        for (int t = 0; t < graph.steps(); t++) {
            outputs.add(GraphNames.stepLoss(t));
            outputs.add(GraphNames.stepSupportAccuracy(t));
            outputs.add(GraphNames.stepQueryAccuracy(t));
        }
        GradientFunction.Pass r = GradientFunction.run(graph.sameDiff(), inputs.placeholders(graph), outputs,
                graph.thetaNames());
        Map<String, INDArray> out = r.outputs();
        int k = graph.steps();
        double[] loss = new double[k];
        double[] sAcc = new double[k];
        double[] qAcc = new double[k];
        for (int t = 0; t < k; t++) {
            loss[t] = out.get(GraphNames.stepLoss(t)).getDouble(0);
            sAcc[t] = out.get(GraphNames.stepSupportAccuracy(t)).getDouble(0);
            qAcc[t] = out.get(GraphNames.stepQueryAccuracy(t)).getDouble(0);
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (String name : graph.thetaNames()) {
            grads.put(name.substring(ThetaGraph.PREFIX.length()), r.gradients().get(name));
        }
        return new MetaGradient(out.get(GraphNames.META_LOSS).getDouble(0), loss, sAcc, qAcc, grads,
                TruncationInputs.phiAfter(graph, out));
    }

    /** @return true when the loss and every gradient entry are finite */
    public boolean isFinite() {
        if (!Double.isFinite(metaLoss)) {
            return false;
        }
        for (INDArray g : gradient.values()) {
            if (g == null || g.isNaN().any() || g.isInfinite().any()) {
                return false;
            }
        }
        return true;
    }

    /** @return the global L2 norm of the gradient over all θ tensors */
    public double globalNorm() {
        double s = 0;
        for (INDArray g : gradient.values()) {
            double n = g.norm2Number().doubleValue();
            s += n * n;
        }
        return Math.sqrt(s);
    }
}
