package org.metaunsup.unroll;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaunsup.basemodel.PhiState;
import org.metaunsup.rule.ThetaGradient;
import org.metaunsup.rule.ThetaGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Everything one truncation yields, from a single forward-and-backward pass of its graph: the
 * summed meta-loss and its gradient w.r.t. every θ tensor, the per-step losses and ridge
 * accuracies, and φ after the truncation (carried into the next one).
 *
 * @param metaLoss summed meta-loss over the K steps
 * @param stepLoss meta-loss after each inner step
 * @param supportAccuracy ridge support accuracy after each step
 * @param queryAccuracy ridge query accuracy after each step
 * @param gradient ∂ metaLoss / ∂θ, flat in the graph's θ spec (named views by canonical name)
 * @param phiAfter base params after the K steps
 */
public record MetaGradient(double metaLoss, double[] stepLoss, double[] supportAccuracy, double[] queryAccuracy,
                           ThetaGradient gradient, PhiState phiAfter) {

    /**
     * Runs the truncation graph once forward and once backward. Changes nothing process-wide
     * and does not collect garbage: a caller that wants the previous pass's native memory reused
     * calls {@link RuntimePolicy#beforePass()} first (it matters for speed, see there).
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
            INDArray g = r.gradients().get(name);
            String canonical = name.substring(ThetaGraph.PREFIX.length());
            // A gradient SameDiff left out is not trusted as zero: NaN makes the result
            // non-finite, so the outer loop drops and counts it.
            grads.put(canonical, g != null ? g
                    : Nd4j.valueArrayOf(graph.thetaSpec().tensor(canonical).shape(), Double.NaN, graph.dtype()));
        }
        return new MetaGradient(out.get(GraphNames.META_LOSS).getDouble(0), loss, sAcc, qAcc,
                ThetaGradient.of(graph.thetaSpec(), grads, graph.dtype()),
                TruncationInputs.phiAfter(graph, out));
    }

    /** @return true when the loss and every gradient entry are finite */
    public boolean isFinite() {
        return Double.isFinite(metaLoss) && gradient.isFinite();
    }

    /** @return the global L2 norm of the gradient over all θ tensors */
    public double globalNorm() {
        return gradient.globalNorm();
    }
}
